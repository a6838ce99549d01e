import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileNames } from "../../components/runtime-config/file-names";
import { goServerPath, goServers, requireBinaries } from "./binaries";

/** What a tool made of a file: its exit status and what it printed. */
export interface ToolVerdict {
  /** Exit status (null when it was killed). */
  status: number | null;
  /** Standard output. */
  stdout: string;
  /** Standard error: compose's warnings and errors, Caddy's log lines. */
  stderr: string;
}

/**
 * An environment holding nothing of the caller's (no COMPOSE_* or DOCKER_* variable can change
 * the verdict) whose home, config and data directories are under `scratch`, so neither tool reads
 * or writes anything outside it. Compose asks the Docker daemon's socket for its API version even
 * for `config`; DOCKER_HOST names a socket in `scratch` that nothing serves, so a daemon on the
 * machine is never asked.
 */
function isolatedEnv(scratch: string): NodeJS.ProcessEnv {
  const dirs = {
    HOME: join(scratch, "home"),
    XDG_CONFIG_HOME: join(scratch, "config"),
    XDG_DATA_HOME: join(scratch, "data"),
    DOCKER_CONFIG: join(scratch, "docker"),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return { PATH: process.env.PATH, ...dirs, DOCKER_HOST: `unix://${join(scratch, "no-docker.sock")}` };
}

function run(binary: string, args: string[], scratch: string): ToolVerdict {
  requireBinaries([binary]);
  const result = spawnSync(binary, args, { env: isolatedEnv(scratch), encoding: "utf8", timeout: 60_000 });
  if (result.error) throw new Error(`could not run ${binary}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `docker compose config` on `<projectDir>/docker-compose.yml` with `profiles` enabled, as the host
 * runs the project from that directory: compose parses, interpolates and schema-checks the file and
 * reads each env_file of the enabled services. With `json`, prints the resolved project as JSON;
 * otherwise runs with `-q` (verdict only).
 */
export function composeConfig(projectDir: string, options: { profiles: readonly string[]; json?: boolean; scratch: string }): ToolVerdict {
  const args = ["--project-directory", projectDir, "-f", join(projectDir, fileNames.compose)];
  for (const profile of options.profiles) args.push("--profile", profile);
  args.push("config", ...(options.json ? ["--format", "json"] : ["-q"]));
  return run(goServerPath(goServers.dockerCompose), args, options.scratch);
}

/**
 * `caddy validate` of a Caddyfile: Caddy adapts it to JSON and provisions every module (the TLS
 * app and its ACME issuer included) without starting any listener.
 */
export function caddyValidate(caddyfile: string, scratch: string): ToolVerdict {
  return run(goServerPath(goServers.caddy), ["validate", "--config", caddyfile, "--adapter", "caddyfile"], scratch);
}
