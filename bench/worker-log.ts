/**
 * What the worker's JSON log says about one call: when the job reached it, when it started
 * dialing, the outcome and how the call ended. Pure: takes parsed log lines.
 */
import type { WorkerLogLine } from "../test/harness/worker";

/**
 * The time of a log line in epoch milliseconds: the worker's own lines carry an ISO `time`,
 * LiveKit Agents' pino lines a numeric one.
 */
export function lineTime(line: WorkerLogLine): number {
  const time = line.time;
  const ms = typeof time === "number" ? time : typeof time === "string" ? Date.parse(time) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new Error(`worker log line has no readable time: ${JSON.stringify(line).slice(0, 200)}`);
  }
  return ms;
}

/** The first line of `event` for `callId`, if logged yet. */
export function callEvent(lines: readonly WorkerLogLine[], event: string, callId: string): WorkerLogLine | undefined {
  return lines.find((line) => line.event === event && line.call_id === callId);
}

/** When LiveKit Agents logged that the job request for `jobId` reached the worker process. */
export function jobReceivedAt(lines: readonly WorkerLogLine[], jobId: string): number | undefined {
  const line = lines.find((l) => l.msg === "received job request" && l.jobId === jobId);
  return line === undefined ? undefined : lineTime(line);
}

/** The moments of one call through the worker, epoch milliseconds. */
export interface WorkerCallMoments {
  /** The job reached the worker process (LiveKit Agents' "received job request"). */
  jobReceived: number;
  /** The job logged `call.dialing`: it is about to call CreateSIPParticipant. */
  dialing: number;
  /** The job logged `call.outcome`. */
  outcome: number;
  /** The outcome (`answered`, `busy`, …). */
  outcomeName: string;
}

/** The moments of `callId`, once its outcome is logged; undefined before that. */
export function workerCallMoments(lines: readonly WorkerLogLine[], callId: string): WorkerCallMoments | undefined {
  const outcome = callEvent(lines, "call.outcome", callId);
  const dialing = callEvent(lines, "call.dialing", callId);
  if (!outcome || !dialing) return undefined;
  const jobReceived = jobReceivedAt(lines, String(outcome.job_id));
  if (jobReceived === undefined) {
    throw new Error(`the worker logged call.outcome for ${callId} but no "received job request" for job ${String(outcome.job_id)}`);
  }
  return { jobReceived, dialing: lineTime(dialing), outcome: lineTime(outcome), outcomeName: String(outcome.outcome) };
}

/** How a call through the worker ended, from its `call.ended` line. */
export interface WorkerCallEnd {
  /** `callee_hung_up`, `room_closed`, `callee_not_in_room`, `voice_failed`. */
  reason: string;
  /** Seconds from answer to end. */
  durationSeconds: number;
  /** Frames of the callee's audio that were not silence. */
  audibleFrames: number;
}

/** The end of `callId`, once logged. */
export function workerCallEnd(lines: readonly WorkerLogLine[], callId: string): WorkerCallEnd | undefined {
  const ended = callEvent(lines, "call.ended", callId);
  if (!ended) return undefined;
  return {
    reason: String(ended.reason),
    durationSeconds: Number(ended.duration_seconds),
    audibleFrames: Number(ended.audio_frames_audible),
  };
}
