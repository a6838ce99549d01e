import { DisconnectReason, type Participant, type RemoteParticipant, Room, RoomEvent } from "@livekit/rtc-node";
import { AccessToken } from "livekit-server-sdk";
import { type CallProgress, outcomeFromAttributes, workerAttributes } from "./call-progress";
import type { CallTarget } from "./dispatch-flags";

/** Which call to follow in a room: the worker's `call_id` and the phone's SIP participant. */
export interface CallIdentities {
  /** The `agent_studio.call_id` the worker sets: the job's call_id (outbound) or LiveKit's SIP call ID (inbound). */
  callId: string;
  /** Identity of the phone's SIP participant: the callee (`sip-<call_id>`) or the caller (`sip_<number>`). */
  phoneIdentity: string;
}

/** A hidden participant in the call's room, reporting what the worker and the phone's participant do. */
export interface RoomObserver {
  /** Leaves the room. */
  leave(): Promise<void>;
}

/** A disconnect reason in lower case, e.g. `client_initiated`, `room_deleted`. */
function reasonName(reason: DisconnectReason | undefined): string {
  return reason === undefined ? "unknown_reason" : (DisconnectReason[reason] ?? String(reason)).toLowerCase();
}

/** The signaling URL of a LiveKit API URL: https → wss, http → ws. */
export function signalingUrl(apiUrl: string): string {
  return apiUrl.replace(/^http/, "ws");
}

/**
 * Joins room `roomName` as a hidden participant that publishes and subscribes nothing, and calls
 * `report` for each thing seen: the worker joining, dialling (or answering) and its outcome (its
 * participant attributes for `ids.callId`), the phone's SIP participant joining and leaving, and
 * the room closing. Attribute
 * changes reach room participants as they happen, so an outcome set just before the worker deletes
 * the room is still seen, which polling the server API could miss.
 */
export async function observeRoom(
  target: CallTarget,
  roomName: string,
  ids: CallIdentities,
  report: (progress: CallProgress) => void,
): Promise<RoomObserver> {
  const { callId } = ids;
  const token = new AccessToken(target.apiKey, target.apiSecret, { identity: `dispatch-call-${roomName}`, name: "npm run call", ttl: "2h" });
  token.addGrant({ roomJoin: true, room: roomName, hidden: true, canPublish: false, canSubscribe: false, canPublishData: false });
  const room = new Room();
  const callee = ids.phoneIdentity;
  let workerSeen = false;
  let dialingSeen = false;
  let outcomeSeen = false;

  const onAttributes = (participant: Participant) => {
    const attributes = participant.attributes;
    if (attributes[workerAttributes.callId] !== callId) return;
    if (!workerSeen) {
      workerSeen = true;
      report({ kind: "worker_joined", identity: participant.identity });
    }
    if (!dialingSeen && attributes[workerAttributes.callStatus] !== undefined) {
      dialingSeen = true;
      report({ kind: "dialing" });
    }
    const outcome = outcomeFromAttributes(attributes, callId);
    if (outcome !== undefined && !outcomeSeen) {
      outcomeSeen = true;
      report({ kind: "outcome", outcome });
    }
  };
  room.on(RoomEvent.ParticipantConnected, (participant: RemoteParticipant) => {
    if (participant.identity === callee) report({ kind: "callee_joined", identity: callee });
    else onAttributes(participant);
  });
  room.on(RoomEvent.ParticipantAttributesChanged, (_changed: Record<string, string>, participant: Participant) => onAttributes(participant));
  room.on(RoomEvent.ParticipantDisconnected, (participant: RemoteParticipant) => {
    if (participant.identity === callee) report({ kind: "callee_left", identity: callee, reason: reasonName(participant.disconnectReason) });
  });
  room.on(RoomEvent.Disconnected, (reason: DisconnectReason) => report({ kind: "room_closed", reason: reasonName(reason) }));

  await room.connect(signalingUrl(target.apiUrl), await token.toJwt(), { autoSubscribe: false, dynacast: false });
  for (const participant of room.remoteParticipants.values()) {
    if (participant.identity === callee) report({ kind: "callee_joined", identity: callee });
    else onAttributes(participant);
  }
  return { leave: () => room.disconnect() };
}
