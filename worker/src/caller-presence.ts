import { type Participant, ParticipantKind, type RemoteParticipant, type Room, RoomEvent } from "@livekit/rtc-node";
import { type AnswerWait, callerAnswered, type ParticipantView } from "./inbound-caller.ts";

/** The kind and attributes of a room participant, as {@link inboundCallerFrom} reads them. */
export function participantView(participant: Participant): ParticipantView {
  return { identity: participant.identity, isSip: participant.kind === ParticipantKind.SIP, attributes: participant.attributes };
}

/**
 * Resolves with the room's first SIP participant, already in the room or joining within
 * `timeoutMs`; undefined when none comes or the room closes. For an inbound call livekit-sip's
 * join is what created the room and dispatched the agent, so the caller is there or on its way.
 */
export function waitForSipParticipant(room: Room, timeoutMs: number): Promise<RemoteParticipant | undefined> {
  return new Promise((resolve) => {
    const finish = (participant: RemoteParticipant | undefined) => {
      clearTimeout(timer);
      room.off(RoomEvent.ParticipantConnected, onConnected);
      room.off(RoomEvent.Disconnected, onClosed);
      resolve(participant);
    };
    const onConnected = (participant: RemoteParticipant) => {
      if (participant.kind === ParticipantKind.SIP) finish(participant);
    };
    const onClosed = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    room.on(RoomEvent.ParticipantConnected, onConnected);
    room.on(RoomEvent.Disconnected, onClosed);
    const present = [...room.remoteParticipants.values()].find((p) => p.kind === ParticipantKind.SIP);
    if (present) finish(present);
    else if (!room.isConnected) finish(undefined);
  });
}

/**
 * Resolves once livekit-sip has answered the caller (their `sip.callStatus` turns `active`, which
 * it does after sending the 200 OK), or the caller hangs up first, or the room closes, or
 * `timeoutMs` passes. livekit-sip answers only once the agent's audio track is subscribed, so the
 * agent publishes before waiting here.
 */
export function waitForAnswer(room: Room, callerIdentity: string, timeoutMs: number): Promise<Exclude<AnswerWait, "voice_failed">> {
  return new Promise((resolve) => {
    const finish = (result: Exclude<AnswerWait, "voice_failed">) => {
      clearTimeout(timer);
      room.off(RoomEvent.ParticipantAttributesChanged, onAttributes);
      room.off(RoomEvent.ParticipantDisconnected, onLeft);
      room.off(RoomEvent.Disconnected, onClosed);
      resolve(result);
    };
    const onAttributes = (_changed: Record<string, string>, participant: Participant) => {
      if (participant.identity === callerIdentity && callerAnswered(participant.attributes)) finish("answered");
    };
    const onLeft = (participant: RemoteParticipant) => {
      if (participant.identity === callerIdentity) finish("caller_hung_up");
    };
    const onClosed = () => finish("room_closed");
    const timer = setTimeout(() => finish("not_answered"), timeoutMs);
    room.on(RoomEvent.ParticipantAttributesChanged, onAttributes);
    room.on(RoomEvent.ParticipantDisconnected, onLeft);
    room.on(RoomEvent.Disconnected, onClosed);
    const caller = room.remoteParticipants.get(callerIdentity);
    if (!room.isConnected) finish("room_closed");
    else if (!caller) finish("caller_hung_up");
    else if (callerAnswered(caller.attributes)) finish("answered");
  });
}
