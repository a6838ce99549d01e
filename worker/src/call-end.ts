import { type RemoteParticipant, type Room, RoomEvent } from "@livekit/rtc-node";

/** Why an answered call ended, as the room tells it. */
export type CallEndReason = "callee_hung_up" | "callee_not_in_room" | "room_closed";

/**
 * Resolves when the answered call is over: the callee's SIP participant leaves (the callee hung
 * up), the room goes away, or the callee never shows up in the room within `joinTimeoutMs`
 * (a call LiveKit reported answered but whose participant is already gone).
 */
export function waitForCallEnd(room: Room, calleeIdentity: string, joinTimeoutMs: number): Promise<CallEndReason> {
  return new Promise((resolve) => {
    const finish = (reason: CallEndReason) => {
      clearTimeout(joinTimer);
      room.off(RoomEvent.ParticipantConnected, onConnected);
      room.off(RoomEvent.ParticipantDisconnected, onDisconnected);
      room.off(RoomEvent.Disconnected, onRoomClosed);
      resolve(reason);
    };
    const onConnected = (participant: RemoteParticipant) => {
      if (participant.identity === calleeIdentity) clearTimeout(joinTimer);
    };
    const onDisconnected = (participant: RemoteParticipant) => {
      if (participant.identity === calleeIdentity) finish("callee_hung_up");
    };
    const onRoomClosed = () => finish("room_closed");
    const joinTimer = setTimeout(() => finish("callee_not_in_room"), joinTimeoutMs);

    room.on(RoomEvent.ParticipantConnected, onConnected);
    room.on(RoomEvent.ParticipantDisconnected, onDisconnected);
    room.on(RoomEvent.Disconnected, onRoomClosed);
    if (!room.isConnected) finish("room_closed");
    else if (room.remoteParticipants.has(calleeIdentity)) clearTimeout(joinTimer);
  });
}
