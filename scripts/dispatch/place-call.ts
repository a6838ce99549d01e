import { AgentDispatchClient, RoomServiceClient } from "livekit-server-sdk";
import { type CallProgress, type CallSummary, endOfAnsweredCall } from "./call-progress";
import { type CallRequest, type CallTarget, jobMetadata } from "./dispatch-flags";
import { observeRoom } from "./room-observer";

/**
 * Places a call as a backend does (DESIGN.md's call flow): creates the room, joins it as a hidden
 * observer, dispatches the worker with the job metadata, then follows the call. Resolves when the
 * dial fails, or when an answered call ends (the callee hangs up or the worker closes the room);
 * gives up, deleting the room, when no outcome arrives within the request's timeout. Every
 * progress event is passed to `onProgress` as it happens.
 */
export async function placeCall(target: CallTarget, request: CallRequest, onProgress: (progress: CallProgress) => void): Promise<CallSummary> {
  const rooms = new RoomServiceClient(target.apiUrl, target.apiKey, target.apiSecret);
  const summary: CallSummary = { callId: request.callId, workerJoined: false };
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let done = false;

  const onEvent = (progress: CallProgress) => {
    if (done) return;
    onProgress(progress);
    switch (progress.kind) {
      case "worker_joined":
        summary.workerJoined = true;
        break;
      case "outcome":
        summary.outcome = progress.outcome;
        if (progress.outcome.outcome !== "answered") finish();
        break;
      case "callee_left":
        if (summary.outcome?.outcome === "answered") {
          summary.ended = endOfAnsweredCall(progress.reason);
          finish();
        }
        break;
      case "room_closed":
        if (summary.outcome?.outcome === "answered") summary.ended = "room_closed";
        finish();
        break;
    }
  };

  await rooms.createRoom({ name: request.callId });
  const observer = await observeRoom(target, request.callId, onEvent);
  const timer = setTimeout(() => {
    // An answered call runs as long as the callee stays on; only the wait for an outcome is bounded.
    if (summary.outcome === undefined) {
      summary.problem = `no outcome within ${request.timeoutSeconds} s; the room ${request.callId} was deleted`;
      finish();
    }
  }, request.timeoutSeconds * 1000);
  let abandoned = true;
  try {
    await new AgentDispatchClient(target.apiUrl, target.apiKey, target.apiSecret).createDispatch(request.callId, target.agentName, {
      metadata: jobMetadata(request),
    });
    await finished;
    abandoned = summary.problem !== undefined;
  } finally {
    done = true;
    clearTimeout(timer);
    await observer.leave();
    // The worker deletes the room of every job it ends; a room nobody will end is deleted here.
    if (abandoned) await rooms.deleteRoom(request.callId).catch(() => undefined);
  }
  return summary;
}
