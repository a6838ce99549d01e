/**
 * Whether a capacity call was held as the carrier meant it, and how many calls were up at once.
 * Pure.
 */
import type { WorkerCallEnd } from "./worker-log";

/** What the run observed of one capacity call. */
export interface CapacityCallObservation {
  /** The worker's outcome (`answered`, `busy`, …), once logged. */
  outcome?: string;
  /** Dispatch → outcome, ms, once logged. */
  setupMs?: number;
  /** Milliseconds since dispatch, now: how long the call has had to be answered. */
  elapsedMs: number;
  /** The worker's `call.ended`, once logged. */
  end?: WorkerCallEnd;
  /** Who sent the BYE, per the carrier's log, once either did. */
  hangupBy?: "carrier" | "livekit-sip";
}

/** Limits a capacity call is judged by. */
export interface VerdictLimits {
  /** How long the carrier holds each call after answering, ms. */
  holdMs: number;
  /** A call not answered this long after dispatch has failed. */
  answerTimeoutMs: number;
  /** How much shorter than `holdMs` a call may look from the worker's side (its clock starts a little later), ms. */
  toleranceMs: number;
}

/** A call's verdict: still running, held as meant, or failed and why. */
export type CallVerdict = { state: "pending" } | { state: "ok" } | { state: "failed"; reason: string };

/**
 * Judges one call: it must be answered within `answerTimeoutMs`, last the carrier's whole hold
 * (not dropped early, e.g. by livekit-sip's media timeout), end with the carrier's BYE, and the
 * worker must have heard audio (the carrier echoes the agent's greeting: RTP made the round trip).
 */
export function judgeCapacityCall(call: CapacityCallObservation, limits: VerdictLimits): CallVerdict {
  if (call.outcome === undefined) {
    return call.elapsedMs > limits.answerTimeoutMs
      ? { state: "failed", reason: `not answered within ${limits.answerTimeoutMs / 1000} s of dispatch` }
      : { state: "pending" };
  }
  if (call.outcome !== "answered") return { state: "failed", reason: `outcome ${call.outcome}` };
  if (call.setupMs !== undefined && call.setupMs > limits.answerTimeoutMs) {
    return { state: "failed", reason: `answered only ${(call.setupMs / 1000).toFixed(1)} s after dispatch` };
  }
  if (call.hangupBy === "livekit-sip") {
    return { state: "failed", reason: "livekit-sip hung up before the carrier did (media timeout or dropped call)" };
  }
  if (call.end === undefined) return { state: "pending" };
  const heldMs = call.end.durationSeconds * 1000;
  if (call.end.reason !== "callee_hung_up") return { state: "failed", reason: `ended with ${call.end.reason}` };
  if (heldMs < limits.holdMs - limits.toleranceMs) {
    return { state: "failed", reason: `held ${call.end.durationSeconds.toFixed(1)} s of ${limits.holdMs / 1000} s` };
  }
  if (call.end.audibleFrames === 0) return { state: "failed", reason: "no audible audio reached the worker" };
  return call.hangupBy === "carrier" ? { state: "ok" } : { state: "pending" };
}

/** When a call was up: from answer to end, epoch ms. */
export interface CallInterval {
  from: number;
  to: number;
}

/** Average number of calls up during [start, end): the time-weighted overlap of the intervals. */
export function averageConcurrency(calls: readonly CallInterval[], start: number, end: number): number {
  if (!(end > start)) {
    throw new Error(`the window must end after it starts (got ${start} to ${end})`);
  }
  const overlap = calls.reduce((sum, call) => sum + Math.max(0, Math.min(call.to, end) - Math.max(call.from, start)), 0);
  return overlap / (end - start);
}
