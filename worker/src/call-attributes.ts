import type { CallOutcome } from "./sip-outcome.ts";

/** Prefix of every attribute the worker sets, apart from LiveKit's own `lk.` and `sip.` ones. */
export const ATTRIBUTE_PREFIX = "agent_studio.";

/** Attribute keys, for backends and tests reading them off the agent participant. */
export const ATTRIBUTES = {
  callId: `${ATTRIBUTE_PREFIX}call_id`,
  callStatus: `${ATTRIBUTE_PREFIX}call_status`,
  outcome: `${ATTRIBUTE_PREFIX}call_outcome`,
  reason: `${ATTRIBUTE_PREFIX}call_outcome_reason`,
  sipStatusCode: `${ATTRIBUTE_PREFIX}sip_status_code`,
  sipStatus: `${ATTRIBUTE_PREFIX}sip_status`,
} as const;

/** Attributes the agent participant carries while the callee's phone rings. */
export function dialingAttributes(callId: string): Record<string, string> {
  return { [ATTRIBUTES.callId]: callId, [ATTRIBUTES.callStatus]: "dialing" };
}

/** Attributes the agent participant carries while livekit-sip answers an inbound caller. */
export function answeringAttributes(callId: string): Record<string, string> {
  return { [ATTRIBUTES.callId]: callId, [ATTRIBUTES.callStatus]: "answering" };
}

/**
 * Attributes the agent participant carries once dialling (or answering) ended. Every key is always given, empty
 * when unknown (LiveKit removes an attribute set to ""), so no value from an earlier call state lingers.
 */
export function outcomeAttributes(callId: string, outcome: CallOutcome): Record<string, string> {
  return {
    [ATTRIBUTES.callId]: callId,
    [ATTRIBUTES.callStatus]: outcome.outcome === "answered" ? "active" : "ended",
    [ATTRIBUTES.outcome]: outcome.outcome,
    [ATTRIBUTES.reason]: outcome.reason,
    [ATTRIBUTES.sipStatusCode]: outcome.sipStatusCode === undefined ? "" : String(outcome.sipStatusCode),
    [ATTRIBUTES.sipStatus]: outcome.sipStatus ?? "",
  };
}
