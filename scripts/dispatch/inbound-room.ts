/**
 * Finding the room LiveKit made for a call sent into the stack: the dispatch rule names it after
 * the caller plus a random suffix, so it is found by its caller's SIP participant instead. Pure.
 */

/** A participant as LiveKit's ListParticipants reports it. */
export interface ListedParticipant {
  identity: string;
  attributes: Readonly<Record<string, string>>;
}

/** The caller of a call into the stack, as its room shows it. */
export interface CallerInRoom {
  /** The caller's participant identity (`sip_<number>`). */
  identity: string;
  /** LiveKit's SIP call ID (`SCL_...`): the worker's `call_id` for the call. */
  callId: string;
}

/**
 * The caller's participant among a room's: admitted by a dispatch rule (`sip.ruleID`), calling
 * from `from` (`sip.phoneNumber`) to `to` (`sip.trunkPhoneNumber`); undefined when there is none.
 */
export function callerInRoom(participants: readonly ListedParticipant[], from: string, to: string): CallerInRoom | undefined {
  const caller = participants.find(
    (p) => p.attributes["sip.ruleID"] && p.attributes["sip.phoneNumber"] === from && p.attributes["sip.trunkPhoneNumber"] === to && p.attributes["sip.callID"],
  );
  return caller === undefined ? undefined : { identity: caller.identity, callId: caller.attributes["sip.callID"] };
}
