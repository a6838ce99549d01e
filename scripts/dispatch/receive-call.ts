import { RoomServiceClient } from "livekit-server-sdk";
import type { CallerReport, CallProgress, CallSummary } from "./call-progress";
import type { CallTarget, InboundRequest } from "./dispatch-flags";
import { followCall } from "./follow-call";
import { type CallerInRoom, callerInRoom } from "./inbound-room";
import { observeRoom } from "./room-observer";

/** The caller's side of a call sent into the stack (sipp, or Twilio's call). */
export interface CallerLeg {
  /** How the call is sent, for the progress line (`through Twilio from +1...`). */
  via: string;
  /** Resolves once the caller's side is over (hung up, refused or given up), with what it saw. */
  ended: Promise<CallerReport>;
  /** Ends the caller's side if still running, releasing what it holds; idempotent. */
  stop(): Promise<void>;
}

// How often the rooms are listed while waiting for the call's room to appear.
const ROOM_POLL_MS = 300;
// Room events (the caller leaving) trail the caller's own end of the call by a moment.
const AFTER_CALLER_END_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends a call into the stack (`startLeg` starts the caller's side) and follows it as the outbound
 * mode does: finds the room the dispatch rule created for it (a new room whose caller is
 * `request.from` calling `request.to`), joins it as a hidden observer, and reports the worker
 * answering, the outcome and the end. Resolves when the answered call ends, when the caller's side
 * ends without an answer or a room, or after `request.timeoutSeconds` without an outcome. It never
 * deletes a room: the worker or livekit-server does, which is what a test of the stack checks.
 */
export async function receiveCall(
  target: CallTarget,
  request: InboundRequest,
  startLeg: () => Promise<CallerLeg>,
  onProgress: (progress: CallProgress) => void,
): Promise<CallSummary> {
  const rooms = new RoomServiceClient(target.apiUrl, target.apiKey, target.apiSecret);
  const before = new Set((await rooms.listRooms()).map((room) => room.name));
  const deadline = Date.now() + request.timeoutSeconds * 1000;
  const summary: CallSummary = { callId: "", workerJoined: false, direction: "inbound" };
  const leg = await startLeg();
  let callerReport: CallerReport | undefined;
  const legEnded = leg.ended.then(
    (report) => {
      callerReport = report;
    },
    (error: unknown) => {
      callerReport = {};
      summary.problem = `the caller's side failed: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
  try {
    onProgress({ kind: "calling", via: leg.via });
    let found: { room: string; caller: CallerInRoom } | undefined;
    while (found === undefined && callerReport === undefined && Date.now() < deadline) {
      for (const room of await rooms.listRooms()) {
        if (before.has(room.name)) continue;
        const caller = callerInRoom(await rooms.listParticipants(room.name), request.from, request.to);
        if (caller) found = { room: room.name, caller };
        else before.add(room.name);
      }
      if (found === undefined) await Promise.race([sleep(ROOM_POLL_MS), legEnded]);
    }
    if (found === undefined) {
      // No room: the stack refused or dropped the call; the caller's side ends on its own bounds
      // (sipp's receive timeout, Twilio's final status) and says which.
      await legEnded;
    } else {
      summary.callId = found.caller.callId;
      summary.room = found.room;
      onProgress({ kind: "room_found", room: found.room, identity: found.caller.identity });
      await followRoom(target, found, summary, legEnded, deadline, onProgress);
    }
  } finally {
    await leg.stop();
  }
  await legEnded;
  summary.caller = callerReport;
  return summary;
}

/** Observes the call's room until the call is over (see {@link receiveCall}). */
async function followRoom(
  target: CallTarget,
  found: { room: string; caller: CallerInRoom },
  summary: CallSummary,
  legEnded: Promise<void>,
  deadline: number,
  onProgress: (progress: CallProgress) => void,
): Promise<void> {
  const follower = followCall(summary, onProgress);
  const observer = await observeRoom(target, found.room, { callId: found.caller.callId, phoneIdentity: found.caller.identity }, follower.onEvent);
  const timer = setTimeout(() => {
    // An answered call runs as long as the caller stays on; only the wait for an outcome is bounded.
    if (summary.outcome === undefined) follower.giveUp("no outcome from the worker in time");
  }, Math.max(0, deadline - Date.now()));
  try {
    await Promise.race([follower.finished, legEnded.then(() => sleep(AFTER_CALLER_END_MS))]);
  } finally {
    follower.stop();
    clearTimeout(timer);
    await observer.leave();
  }
}
