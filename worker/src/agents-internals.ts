import type { JobContext } from "@livekit/agents";

/**
 * The two modules of LiveKit Agents (pinned at 1.9.0) that the call groups reach past its public
 * API: its package exports only the index, so they are loaded by file next to it. The same file
 * URL is the same module instance LiveKit Agents uses, so a change to its class is seen by its
 * process pool. `test/unit/agents-internals.test.ts` fails when an upgrade moves or renames them.
 */

interface Logger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
  debug(object: object, message: string): void;
}

/** LiveKit Agents' job lifecycle helpers (`job_lifecycle.js`): what its job process runs after a job's entrypoint. */
export interface JobLifecycle {
  validateSessionEndTimeout(timeout: number): number;
  waitForEntrypointShutdown(entrypoint: Promise<unknown>, logger: Logger): Promise<void>;
  finalizeSession(ctx: JobContext, onSessionEnd: ((ctx: JobContext) => unknown) | undefined, sessionEndTimeout: number, logger: Logger): Promise<void>;
  runShutdownCallbacks(callbacks: readonly (() => Promise<void>)[], logger: Logger): Promise<void>;
}

/** The class LiveKit Agents' process pool builds one of per job process (`ipc/job_proc_executor.js`). */
export interface JobProcExecutorClass {
  prototype: { createProcess(): unknown };
}

const agentsIndex = import.meta.resolve("@livekit/agents");

async function load<T>(path: string, names: readonly string[]): Promise<T> {
  const url = new URL(path, agentsIndex).href;
  const module = (await import(url)) as Record<string, unknown>;
  const missing = names.filter((name) => module[name] === undefined);
  if (missing.length > 0) throw new Error(`@livekit/agents ${url} no longer exports ${missing.join(", ")}: the call groups need it; see worker/src/agents-internals.ts`);
  return module as T;
}

export function loadJobLifecycle(): Promise<JobLifecycle> {
  return load<JobLifecycle>("./job_lifecycle.js", ["validateSessionEndTimeout", "waitForEntrypointShutdown", "finalizeSession", "runShutdownCallbacks"]);
}

export async function loadJobProcExecutor(): Promise<JobProcExecutorClass> {
  const module = await load<{ JobProcExecutor: JobProcExecutorClass }>("./ipc/job_proc_executor.js", ["JobProcExecutor"]);
  if (typeof module.JobProcExecutor.prototype.createProcess !== "function") {
    throw new Error("@livekit/agents JobProcExecutor has no createProcess(): the call groups need it; see worker/src/agents-internals.ts");
  }
  return module.JobProcExecutor;
}
