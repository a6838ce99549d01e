import { type RemoteParticipant, type Room, RoomEvent } from "@livekit/rtc-node";

/** The person on the phone: the callee of an outbound call, the caller of an inbound one. */
export type CallParty = "callee" | "caller";

/** Why an answered call ended, as the room tells it. */
export type CallEndReason = `${CallParty}_hung_up` | `${CallParty}_not_in_room` | "room_closed";

/**
 * Resolves when the answered call is over: the person's SIP participant leaves (they hung up),
 * the room goes away, or they never show up in the room within `joinTimeoutMs` (a call LiveKit
 * reported answered but whose participant is already gone). `party` names them in the reason.
 */
export function waitForCallEnd(room: Room, identity: string, joinTimeoutMs: number, party: CallParty): Promise<CallEndReason> {
  return new Promise((resolve) => {
    const finish = (reason: CallEndReason) => {
      clearTimeout(joinTimer);
      room.off(RoomEvent.ParticipantConnected, onConnected);
      room.off(RoomEvent.ParticipantDisconnected, onDisconnected);
      room.off(RoomEvent.Disconnected, onRoomClosed);
      resolve(reason);
    };
    const onConnected = (participant: RemoteParticipant) => {
      if (participant.identity === identity) clearTimeout(joinTimer);
    };
    const onDisconnected = (participant: RemoteParticipant) => {
      if (participant.identity === identity) finish(`${party}_hung_up`);
    };
    const onRoomClosed = () => finish("room_closed");
    const joinTimer = setTimeout(() => finish(`${party}_not_in_room`), joinTimeoutMs);

    room.on(RoomEvent.ParticipantConnected, onConnected);
    room.on(RoomEvent.ParticipantDisconnected, onDisconnected);
    room.on(RoomEvent.Disconnected, onRoomClosed);
    if (!room.isConnected) finish("room_closed");
    else if (room.remoteParticipants.has(identity)) clearTimeout(joinTimer);
  });
}
