/**
 * How long calls may last and how long each part of the stack is given to stop, all derived from
 * one config key (`maxCallMinutes`). livekit-sip and the worker drain on SIGTERM and have no limit
 * of their own, so a stop grace shorter than the longest call would cut calls in progress.
 */

/** Default of `maxCallMinutes`. */
export const defaultMaxCallMinutes = 30;

/**
 * Largest `maxCallMinutes`: GCE allows at most 3600 s of graceful shutdown, and the stack needs
 * {@link shutdownMarginSeconds} on top of the longest call.
 */
export const maxCallMinutesLimit = 55;

/** Time past the longest call for a service to hang up, flush and exit once its last call ends. */
const serviceMarginSeconds = 60;

/** Time past a service's grace that systemd gives each `docker compose stop` (compose's own work). */
const commandMarginSeconds = 30;

/**
 * Time past the longest call that the VM's graceful shutdown allows: livekit-sip's drain ends with
 * its last call, then the worker (no call left) and livekit-server stop, then Redis and Caddy.
 */
export const shutdownMarginSeconds = 300;

/** Stop grace of every call-carrying service (livekit-sip, the worker, livekit-server), in seconds. */
export function stopGraceSeconds(maxCallMinutes: number): number {
  return maxCallMinutes * 60 + serviceMarginSeconds;
}

/** Compose's `stop_grace_period` for a call-carrying service, e.g. `1860s`. */
export function composeStopGracePeriod(maxCallMinutes: number): string {
  return `${stopGraceSeconds(maxCallMinutes)}s`;
}

/** The systemd unit's `TimeoutStopSec`: each `ExecStop` step (one service's drain) within it. */
export function unitStopTimeoutSeconds(maxCallMinutes: number): number {
  return stopGraceSeconds(maxCallMinutes) + commandMarginSeconds;
}

/** GCE graceful shutdown's `maxDuration` for the VM, in seconds (at most 3600). */
export function gracefulShutdownSeconds(maxCallMinutes: number): number {
  return maxCallMinutes * 60 + shutdownMarginSeconds;
}

/**
 * Default and largest `callsPerProcess`: the worker's own range for CALLS_PER_PROCESS
 * (worker/src/call-group-plan.ts, an ES module the program cannot load; a unit test keeps them equal).
 */
export const defaultCallsPerProcess = 8;
export const callsPerProcessLimit = 64;

/** The trunks' maximum call duration, in seconds. */
export function maxCallDurationSeconds(maxCallMinutes: number): number {
  return maxCallMinutes * 60;
}
