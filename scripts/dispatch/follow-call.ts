import { type CallProgress, type CallSummary, endOfAnsweredCall } from "./call-progress";

/** A call being followed: feed it the room observer's events; `finished` resolves when the call is over. */
export interface CallFollower {
  /** The summary so far (filled in as events arrive). */
  summary: CallSummary;
  /** Takes one event from the room; ignored once the follow has ended. */
  onEvent(progress: CallProgress): void;
  /** Ends the follow with a problem (e.g. no outcome in time), unless it ended already. */
  giveUp(problem: string): void;
  /** Ends the follow; events after this are ignored. */
  stop(): void;
  /** Resolves when the call's outcome is a failure, when an answered call ends, or on {@link giveUp}. */
  finished: Promise<void>;
}

/**
 * The one reading of a call's progress, for both directions: the worker joining, its outcome (a
 * failure ends the follow), then the phone's participant leaving or the room closing ending an
 * answered call. Every event is passed on to `onProgress` as it happens, until the follow ends.
 */
export function followCall(summary: CallSummary, onProgress: (progress: CallProgress) => void): CallFollower {
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let done = false;
  const end = () => {
    done = true;
    finish();
  };
  return {
    summary,
    finished,
    stop: end,
    giveUp(problem) {
      if (done) return;
      summary.problem = problem;
      end();
    },
    onEvent(progress) {
      if (done) return;
      onProgress(progress);
      switch (progress.kind) {
        case "worker_joined":
          summary.workerJoined = true;
          break;
        case "outcome":
          summary.outcome = progress.outcome;
          if (progress.outcome.outcome !== "answered") end();
          break;
        case "callee_left":
          if (summary.outcome?.outcome === "answered") {
            summary.ended = endOfAnsweredCall(progress.reason);
            end();
          }
          break;
        case "room_closed":
          if (summary.outcome?.outcome === "answered") summary.ended = "room_closed";
          end();
          break;
      }
    },
  };
}
