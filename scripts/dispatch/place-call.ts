import { AgentDispatchClient, RoomServiceClient } from "livekit-server-sdk";
import { calleeIdentity, type CallProgress, type CallSummary } from "./call-progress";
import { type CallRequest, type CallTarget, jobMetadata } from "./dispatch-flags";
import { followCall } from "./follow-call";
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
  const follower = followCall({ callId: request.callId, workerJoined: false }, onProgress);
  const { summary } = follower;

  await rooms.createRoom({ name: request.callId });
  const observer = await observeRoom(target, request.callId, { callId: request.callId, phoneIdentity: calleeIdentity(request.callId) }, follower.onEvent);
  const timer = setTimeout(() => {
    // An answered call runs as long as the callee stays on; only the wait for an outcome is bounded.
    if (summary.outcome === undefined) follower.giveUp(`no outcome within ${request.timeoutSeconds} s; the room ${request.callId} was deleted`);
  }, request.timeoutSeconds * 1000);
  let abandoned = true;
  try {
    await new AgentDispatchClient(target.apiUrl, target.apiKey, target.apiSecret).createDispatch(request.callId, target.agentName, {
      metadata: jobMetadata(request),
    });
    await follower.finished;
    abandoned = summary.problem !== undefined;
  } finally {
    follower.stop();
    clearTimeout(timer);
    await observer.leave();
    // The worker deletes the room of every job it ends; a room nobody will end is deleted here.
    if (abandoned) await rooms.deleteRoom(request.callId).catch(() => undefined);
  }
  return summary;
}
