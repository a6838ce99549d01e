import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./binaries";
import type { LivekitServer } from "./livekit-server";
import { type ManagedProcess, startProcess } from "./managed-process";
import { freePort } from "./ports";
import { waitUntil } from "./wait-until";

/** The agent worker package. */
export const workerDir = join(repoRoot, "worker");

/** The built entrypoint `node <it> start` runs. */
export const workerEntry = join(workerDir, "dist", "main.js");

/** Newest modification time (ms) of the files the worker's build reads. */
function newestBuildInput(): number {
  const files = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"].map((name) => join(workerDir, name));
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  return Math.max(...[...files, ...walk(join(workerDir, "src"))].filter(existsSync).map((file) => statSync(file).mtimeMs));
}

/**
 * Builds the worker (`npm --prefix worker run build`) when `worker/dist` is missing or older than
 * any of its sources, so tests never run a stale build. Returns whether it built.
 */
export function buildWorkerIfStale(): boolean {
  if (existsSync(workerEntry) && statSync(workerEntry).mtimeMs >= newestBuildInput()) {
    return false;
  }
  const result = spawnSync("npm", ["--prefix", workerDir, "run", "build"], { cwd: repoRoot, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(
      `Building the worker failed (\`npm --prefix worker run build\`, ${result.error?.message ?? `exit code ${result.status}`}):\n` +
        `${result.stdout ?? ""}${result.stderr ?? ""}\nRun \`npm ci\` at the repository root if worker/node_modules is missing.`,
    );
  }
  return true;
}

/** One JSON line of the worker's log: its own events (`event`) and LiveKit Agents' lines (`msg`). */
export type WorkerLogLine = Record<string, unknown> & { event?: string; msg?: string };

/** How to start a worker. */
export interface WorkerOptions {
  /** The livekit-server it registers with and calls the API on. */
  livekit: Pick<LivekitServer, "wsUrl" | "apiKey" | "apiSecret">;
  /** SIP_OUTBOUND_TRUNK_ID: the outbound trunk every call is dialled through. */
  sipOutboundTrunkId: string;
  /** AGENT_NAME: the name jobs are dispatched to. */
  agentName: string;
  /** Directory the log file (`<name>.log`) is written to. */
  logDir: string;
  /** RINGING_TIMEOUT_SECONDS. Defaults to the worker's own default. */
  ringingTimeoutSeconds?: number;
  /** MAX_CONCURRENT_CALLS: load by call count instead of the shared machine's CPU. Defaults to 4. */
  maxConcurrentCalls?: number;
  /** Process and log file name. Defaults to `worker`. */
  name?: string;
  /** CALLS_PER_PROCESS. Defaults to the worker's own default. */
  callsPerProcess?: number;
  /** The call from this number crashes its job once answered (an uncaught exception; see worker-fault.mjs). */
  crashCallFrom?: string;
}

/** A running worker process. */
export interface AgentWorker {
  /** The agent name it registered. */
  agentName: string;
  /** Its health endpoint (200 while registered). */
  healthUrl: string;
  /** Its Prometheus metrics endpoint (`GET /metrics`). */
  metricsUrl: string;
  /** The process, for logs and stopping. */
  process: ManagedProcess;
  /** Every JSON line it logged so far, in order. */
  lines(): WorkerLogLine[];
  /** Resolves with the first logged line `match` accepts; fails after `timeoutMs` or when the worker exits. */
  waitForLine(what: string, match: (line: WorkerLogLine) => boolean, timeoutMs?: number): Promise<WorkerLogLine>;
}

function parseLines(text: string): WorkerLogLine[] {
  return text.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as WorkerLogLine];
    } catch {
      return [];
    }
  });
}

/**
 * Starts the built worker (`node worker/dist/main.js start`) with the greeting pipeline (no AI
 * account is used, whatever the machine's environment holds), its stdout and stderr captured in
 * `<logDir>/<name>.log`, killed with the test process like the harness's servers. Resolves once
 * the worker has registered with livekit-server and its health endpoint answers 200.
 */
export async function startWorker(options: WorkerOptions): Promise<AgentWorker> {
  const name = options.name ?? "worker";
  const healthPort = await freePort("tcp");
  const healthUrl = `http://127.0.0.1:${healthPort}/`;
  const metricsPort = await freePort("tcp");
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const process = startProcess({
    name,
    command: globalThis.process.execPath,
    args: [workerEntry, "start"],
    logDir: options.logDir,
    env: {
      LIVEKIT_URL: options.livekit.wsUrl,
      LIVEKIT_API_KEY: options.livekit.apiKey,
      LIVEKIT_API_SECRET: options.livekit.apiSecret,
      SIP_OUTBOUND_TRUNK_ID: options.sipOutboundTrunkId,
      AGENT_NAME: options.agentName,
      RINGING_TIMEOUT_SECONDS: options.ringingTimeoutSeconds === undefined ? "" : String(options.ringingTimeoutSeconds),
      MAX_CONCURRENT_CALLS: String(options.maxConcurrentCalls ?? 4),
      HEALTH_HOST: "127.0.0.1",
      HEALTH_PORT: String(healthPort),
      METRICS_HOST: "127.0.0.1",
      METRICS_PORT: String(metricsPort),
      VOICE_PIPELINE: "greeting",
      OPENAI_API_KEY: "",
      DEEPGRAM_API_KEY: "",
      DEFAULT_CALLER_ID: "",
      CALLS_PER_PROCESS: options.callsPerProcess === undefined ? "" : String(options.callsPerProcess),
      ...(options.crashCallFrom === undefined
        ? {}
        : { NODE_OPTIONS: `--import=${pathToFileURL(join(repoRoot, "test", "harness", "worker-fault.mjs")).href}`, AGENT_STUDIO_FAULT_CALLER: options.crashCallFrom }),
    },
  });
  const lines = (): WorkerLogLine[] => parseLines(readFileSync(process.logPath, "utf8"));
  const waitForLine = async (what: string, match: (line: WorkerLogLine) => boolean, timeoutMs = 30_000): Promise<WorkerLogLine> => {
    let found: WorkerLogLine | undefined;
    await waitUntil(
      what,
      async () => {
        found = lines().find(match);
        return found !== undefined;
      },
      [process],
      timeoutMs,
    );
    return found as WorkerLogLine;
  };
  try {
    await waitForLine(`worker ${options.agentName} registers with livekit-server`, (line) => line.msg === "registered worker", 60_000);
    await waitUntil("the worker's health endpoint answers 200", async () => (await fetch(healthUrl)).status === 200, [process]);
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { agentName: options.agentName, healthUrl, metricsUrl, process, lines, waitForLine };
}
