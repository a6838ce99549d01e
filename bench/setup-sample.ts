/**
 * One call-setup measurement and where its time went. Pure.
 */
import type { WorkerCallMoments } from "./worker-log";

/** Time from the start of a call (dispatch, or the direct API call) to each milestone, ms. */
export interface SetupSample {
  /** Start → the carrier received the first INVITE. */
  toInviteMs: number;
  /** Start → the call is known answered (the worker's `call.outcome`; the direct API call returning). */
  toAnsweredMs: number;
  /** Where the time went, in order; the parts add up to {@link toAnsweredMs}. */
  phases: Record<string, number>;
}

/** Phase names of a call through the worker, in order. */
export const WORKER_PHASES = ["dispatch → job at worker", "job → dial starts", "dial → INVITE", "INVITE → answered"] as const;

/** Phase names of a direct CreateSIPParticipant call, in order. */
export const DIRECT_PHASES = ["API call → INVITE", "INVITE → answered"] as const;

/**
 * A call through the worker: dispatched at `startMs`, the carrier's first INVITE at `inviteAtMs`.
 * The first phase is LiveKit's: livekit-server choosing a worker for the job; the next two are the
 * worker's own share before the carrier sees the call.
 */
export function workerSetupSample(startMs: number, moments: WorkerCallMoments, inviteAtMs: number): SetupSample {
  const [dispatch, jobToDial, dialToInvite, inviteToAnswer] = WORKER_PHASES;
  return {
    toInviteMs: inviteAtMs - startMs,
    toAnsweredMs: moments.outcome - startMs,
    phases: {
      [dispatch]: moments.jobReceived - startMs,
      [jobToDial]: moments.dialing - moments.jobReceived,
      [dialToInvite]: inviteAtMs - moments.dialing,
      [inviteToAnswer]: moments.outcome - inviteAtMs,
    },
  };
}

/** A direct CreateSIPParticipant call started at `startMs` that returned answered at `answeredAtMs`. */
export function directSetupSample(startMs: number, inviteAtMs: number, answeredAtMs: number): SetupSample {
  const [toInvite, inviteToAnswer] = DIRECT_PHASES;
  return {
    toInviteMs: inviteAtMs - startMs,
    toAnsweredMs: answeredAtMs - startMs,
    phases: { [toInvite]: inviteAtMs - startMs, [inviteToAnswer]: answeredAtMs - inviteAtMs },
  };
}
