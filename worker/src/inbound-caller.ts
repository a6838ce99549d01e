/**
 * Who is calling in: an inbound call is told apart from an outbound one by the SIP participant
 * livekit-sip put in the room. Pure: reads a participant's kind and attributes, no room access.
 *
 * livekit-server's dispatch-rule evaluation (livekit/protocol `EvaluateDispatchRule`, what
 * livekit-server v1.13.5 runs for livekit-sip v1.8.0) gives every inbound caller's participant
 * `sip.callID`, `sip.trunkID` and `sip.ruleID`, and, unless the rule hides the number,
 * `sip.phoneNumber` (the caller), `sip.trunkPhoneNumber` (the number dialled) and `sip.hostname`.
 * `sip.ruleID` is the mark of an inbound call: CreateSIPParticipant (an outbound call's leg)
 * never sets it, and only a dispatch rule admits a call from the carrier.
 */

import { ANSWERED, type CallOutcome } from "./sip-outcome.ts";

/** LiveKit's attribute keys on a SIP participant (livekit/protocol `livekit/attrs.go`). */
export const SIP_ATTRIBUTES = {
  callId: "sip.callID",
  trunkId: "sip.trunkID",
  ruleId: "sip.ruleID",
  phoneNumber: "sip.phoneNumber",
  trunkPhoneNumber: "sip.trunkPhoneNumber",
  callStatus: "sip.callStatus",
} as const;

/** What the worker sees of a participant. */
export interface ParticipantView {
  identity: string;
  /** Whether LiveKit reports it as a SIP participant (ParticipantKind.SIP). */
  isSip: boolean;
  attributes: Readonly<Record<string, string>>;
}

/** An inbound call, as its caller's participant describes it. */
export interface InboundCaller {
  /** The caller's participant identity in the room (`sip_<number>`). */
  identity: string;
  /** LiveKit's SIP call ID (`SCL_...`): the call's `call_id` in logs and attributes. */
  callId: string;
  /** The inbound trunk the call came in through (`ST_...`). */
  trunkId: string;
  /** The dispatch rule that created the room (`SDR_...`). */
  dispatchRuleId: string;
  /** The caller's number, or null when the dispatch rule hides it. */
  callerNumber: string | null;
  /** The stack's number the caller dialled, or null when the dispatch rule hides it. */
  calledNumber: string | null;
}

/** Result of {@link inboundCallerFrom}. */
export type InboundCallerResult = { ok: true; caller: InboundCaller } | { ok: false; problem: string };

/**
 * The inbound call a room's participant stands for, or why it is not one: it must be a SIP
 * participant carrying the dispatch rule's `sip.ruleID`, `sip.trunkID` and `sip.callID`.
 */
export function inboundCallerFrom(participant: ParticipantView): InboundCallerResult {
  const who = `participant ${JSON.stringify(participant.identity)}`;
  if (!participant.isSip) {
    return { ok: false, problem: `${who} is not a SIP participant, so it is no inbound caller` };
  }
  const attr = (key: string): string | undefined => {
    const value = participant.attributes[key];
    return value === undefined || value === "" ? undefined : value;
  };
  const missing = [SIP_ATTRIBUTES.ruleId, SIP_ATTRIBUTES.trunkId, SIP_ATTRIBUTES.callId].filter((key) => attr(key) === undefined);
  if (missing.length > 0) {
    return {
      ok: false,
      problem:
        `${who} is a SIP participant without ${missing.join(", ")}: not a call admitted by an inbound trunk and ` +
        "dispatch rule (an outbound call's leg has no sip.ruleID)",
    };
  }
  return {
    ok: true,
    caller: {
      identity: participant.identity,
      callId: attr(SIP_ATTRIBUTES.callId) as string,
      trunkId: attr(SIP_ATTRIBUTES.trunkId) as string,
      dispatchRuleId: attr(SIP_ATTRIBUTES.ruleId) as string,
      callerNumber: attr(SIP_ATTRIBUTES.phoneNumber) ?? null,
      calledNumber: attr(SIP_ATTRIBUTES.trunkPhoneNumber) ?? null,
    },
  };
}

/** Whether livekit-sip has answered the caller: it sets `sip.callStatus` to `active` once the 200 OK is sent. */
export function callerAnswered(attributes: Readonly<Record<string, string>>): boolean {
  return attributes[SIP_ATTRIBUTES.callStatus] === "active";
}

/** How the wait for livekit-sip to answer the caller ended (or the agent's voice failing first). */
export type AnswerWait = "answered" | "caller_hung_up" | "room_closed" | "not_answered" | "voice_failed";

/**
 * The outcome of an inbound call once the wait for its answer is over: answered (livekit-sip sent
 * the 200 OK); abandoned when the caller hung up first; failed when the room closed, livekit-sip
 * never answered, or the agent's voice failed before it could answer.
 */
export function inboundOutcome(wait: AnswerWait): CallOutcome {
  switch (wait) {
    case "answered":
      return ANSWERED;
    case "caller_hung_up":
      return { outcome: "abandoned", reason: "caller_hung_up" };
    case "room_closed":
    case "not_answered":
    case "voice_failed":
      return { outcome: "failed", reason: wait };
  }
}
