/**
 * What the LiveKit SIP dispatch rule for incoming calls holds and how its inputs are
 * checked: each call gets its own room (an "individual" rule) and the room's configuration
 * dispatches the named agent into it. Pure: no API calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SIPDispatchRuleInfo } from "livekit-server-sdk";
import type { DiffPolicy } from "../base/diff";
import { apiUrlProblem } from "./api-url";
import { checkList, checkText } from "./input-checks";
import { agentNameProblem, displayNameProblem, roomPrefixProblem, trunkIdProblem } from "./sip-values";

/** Inputs (and outputs) of a LiveKit SIP dispatch rule. */
export interface DispatchRuleInputs {
  /** LiveKit API base URL, `https://<domain>`: the server the rule lives on. */
  url: string;
  /** Rule name shown in LiveKit listings. */
  name: string;
  /** IDs of the inbound trunks whose calls this rule routes. */
  trunkIds: string[];
  /** Prefix of the room created for each call (LiveKit appends the caller and a random suffix). */
  roomPrefix: string;
  /** `agent_name` of the worker dispatched into every call's room (explicit dispatch). */
  agentName: string;
}

/**
 * How each change is applied: LiveKit's UpdateSIPDispatchRule replaces the stored rule under
 * the same ID, so every field updates in place. Moving to another server (`url`) recreates
 * the rule, deleting the old one first: two rules for the same trunk on one server conflict.
 */
export const dispatchRuleDiffPolicy: DiffPolicy<DispatchRuleInputs> = {
  replaceOn: ["url"],
  updateInPlace: ["name", "trunkIds", "roomPrefix", "agentName"],
  deleteBeforeReplace: true,
};

/** Validates a dispatch rule's inputs with no API call. */
export function checkDispatchRule(news: DispatchRuleInputs): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  checkText(failures, "url", news.url, apiUrlProblem, { purpose: "the LiveKit API URL, https://<domain>" });
  checkText(failures, "name", news.name, displayNameProblem);
  // At least one trunk: a rule without trunks would catch calls from every trunk on the server.
  checkList(failures, "trunkIds", news.trunkIds, trunkIdProblem, 1, { purpose: "the inbound trunk(s) the rule routes" });
  checkText(failures, "roomPrefix", news.roomPrefix, roomPrefixProblem, { purpose: "the prefix of each call's room name" });
  checkText(failures, "agentName", news.agentName, agentNameProblem, {
    purpose: "the agent_name the worker registers with, so each call's room gets the agent",
  });
  return failures;
}

/** The rule as the SDK's `SIPDispatchRuleInfo` constructor takes it. */
export function dispatchRuleFields(inputs: DispatchRuleInputs): {
  name: string;
  trunkIds: string[];
  roomPrefix: string;
  agentName: string;
} {
  return { name: inputs.name, trunkIds: [...inputs.trunkIds], roomPrefix: inputs.roomPrefix, agentName: inputs.agentName };
}

/**
 * The live rule as inputs, for refresh. A rule changed outside Pulumi to another kind, or to
 * dispatch other than exactly one agent, reads with an empty prefix or agent name, so the
 * next update restores it.
 */
export function dispatchRuleFromInfo(info: SIPDispatchRuleInfo): Omit<DispatchRuleInputs, "url"> {
  const rule = info.rule?.rule;
  const agents = info.roomConfig?.agents ?? [];
  return {
    name: info.name,
    trunkIds: [...info.trunkIds],
    roomPrefix: rule?.case === "dispatchRuleIndividual" ? rule.value.roomPrefix : "",
    agentName: agents.length === 1 ? agents[0].agentName : "",
  };
}
