/**
 * What the LiveKit SIP dispatch rule for incoming calls holds and how its inputs are
 * checked: each call gets its own room (an "individual" rule) and the room's configuration
 * dispatches the named agent into it. A rule may be limited to calls to some numbers: LiveKit
 * then prefers it over a rule for every number of the same trunk (protocol `sip.DispatchRulePriority`).
 * Pure: no API calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SIPDispatchRuleInfo } from "livekit-server-sdk";
import type { DiffPolicy } from "../base/diff";
import { apiUrlProblem } from "./api-url";
import { checkList, checkText } from "./input-checks";
import { agentNameProblem, displayNameProblem, e164Problem, roomPrefixProblem, trunkIdProblem } from "./sip-values";

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
  /**
   * E.164 numbers called: the rule takes only calls to these (LiveKit's `numbers`). Absent for a
   * rule taking calls to every number of its trunks; never an empty list, which would mean the same.
   */
  numbers?: string[];
}

/**
 * How each change is applied: LiveKit's UpdateSIPDispatchRule replaces the stored rule under
 * the same ID, so every field updates in place. Moving to another server (`url`) recreates
 * the rule, deleting the old one first: two rules for the same trunk on one server conflict.
 */
export const dispatchRuleDiffPolicy: DiffPolicy<DispatchRuleInputs> = {
  replaceOn: ["url"],
  updateInPlace: ["name", "trunkIds", "roomPrefix", "agentName", "numbers"],
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
  if (news.numbers !== undefined) {
    checkList(failures, "numbers", news.numbers, e164Problem, 1, { purpose: "the E.164 numbers whose calls the rule takes (omit it for every number)" });
  }
  return failures;
}

/** The rule as the SDK's `SIPDispatchRuleInfo` constructor takes it; `numbers` empty for every number. */
export function dispatchRuleFields(inputs: DispatchRuleInputs): {
  name: string;
  trunkIds: string[];
  roomPrefix: string;
  agentName: string;
  numbers: string[];
} {
  return {
    name: inputs.name,
    trunkIds: [...inputs.trunkIds],
    roomPrefix: inputs.roomPrefix,
    agentName: inputs.agentName,
    numbers: [...(inputs.numbers ?? [])],
  };
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
    // Absent, not empty, for a rule on every number: the state of a rule created without `numbers` reads back unchanged.
    ...(info.numbers.length > 0 ? { numbers: [...info.numbers] } : {}),
  };
}
