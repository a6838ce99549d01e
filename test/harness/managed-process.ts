import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A server process the harness started, with its log file. */
export interface ManagedProcess {
  /** Short name used in messages and as the log file name. */
  readonly name: string;
  /** PID of the process group leader (the watchdog wrapper); the server runs inside the group. */
  readonly pid: number;
  /** File receiving the server's stdout and stderr. */
  readonly logPath: string;
  /** Settles when the server has exited, with a description such as "exit code 1". */
  readonly exited: Promise<string>;
  /** Whether the server has exited. */
  hasExited(): boolean;
  /** The last `lines` lines of the log. */
  logTail(lines?: number): string;
  /**
   * Sends SIGTERM to the server alone, as `docker stop` does, and returns without waiting: the
   * server decides how long it takes to exit ({@link exited} tells when). {@link stop} still kills.
   */
  terminate(): void;
  /** Kills the whole process group and waits until it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

/** What to run. */
export interface ProcessSpec {
  /** Short name, e.g. "livekit-server". */
  name: string;
  /** Absolute path of the executable. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** Directory the log file is written to. */
  logDir: string;
  /** Extra environment variables. */
  env?: NodeJS.ProcessEnv;
}

// Runs the server in its own process group with a watchdog that kills the group the moment the
// pipe on fd 3 (the harness's stdin to this wrapper) reaches end-of-file: that happens when the
// harness stops it, and also when the test process dies in any way, even SIGKILL, so no server
// outlives the test run. The wrapper exits with the server's status. A SIGTERM sent to the wrapper
// is passed on to the server alone (the watchdog keeps watching), and the wrapper waits on until
// the server has exited.
const watchdogScript = `
exec 3<&0 0</dev/null
"$@" 3<&- &
child=$!
{ read -r _ <&3; kill -KILL 0; } &
watchdog=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break
done
kill "$watchdog" 2>/dev/null
exit "$status"
`;

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Starts `spec.command` under the watchdog, logging to `<logDir>/<name>.log`. */
export function startProcess(spec: ProcessSpec): ManagedProcess {
  const logPath = join(spec.logDir, `${spec.name}.log`);
  const logFd = openSync(logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn("bash", ["-c", watchdogScript, spec.name, spec.command, ...spec.args], {
      detached: true,
      stdio: ["pipe", logFd, logFd],
      env: { ...process.env, ...spec.env },
    });
  } finally {
    closeSync(logFd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`Could not start ${spec.name} (${spec.command})`);
  }
  let exitDescription: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      exitDescription = describeExit(code, signal);
      resolve(exitDescription);
    });
  });
  // A forgotten stop() must not keep the test process alive; its exit then closes the pipe.
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();

  return {
    name: spec.name,
    pid,
    logPath,
    exited,
    hasExited: () => exitDescription !== undefined,
    terminate() {
      if (exitDescription === undefined) process.kill(pid, "SIGTERM");
    },
    logTail(lines = 200) {
      const text = readFileSync(logPath, "utf8").trimEnd();
      return text.split("\n").slice(-lines).join("\n");
    },
    async stop() {
      if (exitDescription === undefined) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // The group is already gone.
        }
        await exited;
      }
      // The wrapper (group leader) can report its exit before the server it ran has been torn
      // down; stop() promises that nothing of the group is left.
      await groupGone(pid);
    },
  };
}

/** True while any live (non-zombie) process belongs to process group `pgid`. */
export function processGroupAlive(pgid: number): boolean {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        // Fields after the parenthesised command: state, ppid, pgrp, ...
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(pgrp) === pgid && state !== "Z";
      } catch {
        return false; // The process ended while /proc was being read.
      }
    });
}

async function groupGone(pgid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (processGroupAlive(pgid)) {
    if (Date.now() > deadline) {
      throw new Error(`process group ${pgid} still has live processes ${timeoutMs} ms after SIGKILL`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts a server and resolves once `ready` does; when it does not (it exits first, or `ready`
 * throws), stops what was started and rethrows.
 */
export async function startReady(spec: ProcessSpec, ready: (started: ManagedProcess) => Promise<void>): Promise<ManagedProcess> {
  const started = startProcess(spec);
  try {
    await ready(started);
  } catch (error) {
    await started.stop();
    throw error;
  }
  return started;
}
