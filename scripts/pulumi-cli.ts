/**
 * The one seam between operator scripts and the Pulumi CLI: every `pulumi` invocation goes
 * through {@link pulumiCli}, which runs the `pulumi` executable found on PATH with an argument
 * list (never a shell). Secrets reach the CLI on standard input only, never in argv, where any
 * user of the machine could read them in the process list.
 */
import { spawn } from "node:child_process";

/** How one invocation runs. */
export interface PulumiRunOptions {
  /**
   * Text written to the CLI's standard input, then closed: how a secret value reaches
   * `pulumi config set --secret <key>` (the CLI reads a non-terminal stdin as the value).
   */
  stdin?: string;
  /**
   * Hand the terminal to the CLI (progress display, `pulumi up`'s confirmation prompt) instead of
   * capturing its output; the result is then the empty string. Cannot be combined with `stdin`.
   */
  interactive?: boolean;
}

/** Runs `pulumi <args>` and resolves with its standard output; rejects with {@link PulumiCliError}. */
export type PulumiCli = (args: readonly string[], options?: PulumiRunOptions) => Promise<string>;

/** A `pulumi` invocation that could not run or exited non-zero. */
export class PulumiCliError extends Error {
  constructor(
    message: string,
    /** The arguments it ran with (they never hold a secret: secrets go through stdin). */
    readonly args: readonly string[],
    /** Its exit code, or undefined when it could not start. */
    readonly exitCode: number | undefined,
  ) {
    super(message);
    this.name = "PulumiCliError";
  }
}

/** Where and how the CLI runs. */
export interface PulumiCliOptions {
  /** The Pulumi project directory. Defaults to the current directory. */
  cwd?: string;
  /** Environment of the CLI. Defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
}

/** The last lines of what the CLI printed on stderr, for error messages. */
function tail(text: string, lines = 15): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** The {@link PulumiCli} that runs the real `pulumi` executable from PATH. */
export function pulumiCli(options: PulumiCliOptions = {}): PulumiCli {
  return (args, run = {}) =>
    new Promise((resolve, reject) => {
      if (run.interactive && run.stdin !== undefined) {
        reject(new Error("pulumiCli: `interactive` and `stdin` cannot be combined"));
        return;
      }
      const command = `pulumi ${args.join(" ")}`;
      const child = spawn("pulumi", [...args], {
        cwd: options.cwd,
        // The update check would add a network call and a banner to every captured output.
        env: { ...(options.env ?? process.env), PULUMI_SKIP_UPDATE_CHECK: "true" },
        stdio: run.interactive ? "inherit" : ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", (error: NodeJS.ErrnoException) => {
        const reason =
          error.code === "ENOENT"
            ? "the Pulumi CLI is not installed or not on PATH. Install it (https://www.pulumi.com/docs/install/) and run `pulumi login`"
            : error.message;
        reject(new PulumiCliError(`Could not run \`${command}\`: ${reason}.`, args, undefined));
      });
      child.on("close", (code, signal) => {
        if (code === 0) {
          resolve(stdout);
          return;
        }
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const said = tail(stderr || stdout);
        reject(new PulumiCliError(`\`${command}\` ${how}${said ? `:\n${said}` : "."}`, args, code ?? undefined));
      });
      // A CLI that exits before reading its input closes the pipe; its exit status says why.
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(run.stdin ?? "");
    });
}
