/**
 * How the call group processes (call-groups.ts) run. Pure.
 *
 * They are forked with the worker's `process.execArgv` and environment; `main.ts` sets both from
 * here before the first fork.
 */

/** LiveKit Agents' event-loop monitor threshold; 0 turns the monitor off. */
export const LOOP_MONITOR_ENV = "LIVEKIT_AGENTS_LOOP_BLOCK_WARN_MS";

/**
 * The monitor ticks every 20 ms on the main thread and on a watchdog thread of its own in every
 * process (the worker, each idle and each call's): about 2 % of a core and 6 MB per process,
 * measured, for warnings a call worker of a few audio tracks does not need. Off unless the
 * environment sets a threshold.
 */
export function loopMonitorSetting(env: Record<string, string | undefined>): string {
  const set = env[LOOP_MONITOR_ENV];
  return set === undefined || set.trim() === "" ? "0" : set;
}

/**
 * V8 flags for the forked processes: a 2 MB young generation (V8's default grows it to 16 MB per
 * semi-space) holds a call's short-lived audio events as well and keeps the process smaller.
 */
export const JOB_PROCESS_V8_FLAGS = ["--max-semi-space-size=2"] as const;

/** `execArgv` with {@link JOB_PROCESS_V8_FLAGS} added, except a flag the worker was started with already (by name). */
export function jobProcessExecArgv(execArgv: readonly string[]): string[] {
  const name = (flag: string) => flag.split("=")[0];
  const given = new Set(execArgv.map(name));
  return [...execArgv, ...JOB_PROCESS_V8_FLAGS.filter((flag) => !given.has(name(flag)))];
}
