/**
 * The LiveKit SIP dispatch rule for incoming calls: each call gets its own room (an "individual"
 * rule) and the room's configuration dispatches the named agent into it. A rule may be limited to
 * calls to some numbers: LiveKit then prefers it over a rule for every number of the same trunk
 * (protocol `sip.DispatchRulePriority`). What it holds, how its inputs are checked, and the
 * SipClient calls that create, read, update and delete it. Its ID is the `SDR_…` rule ID.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SIPDispatchRuleInfo } from "livekit-server-sdk";
import { defineLiveKitResource } from "./define-livekit-resource";
import { sendSipRequest } from "./livekit-api";
import { checkList, checkServerAndName, checkText } from "./input-checks";
import { agentNameProblem, e164Problem, roomPrefixProblem, trunkIdProblem } from "./sip-values";

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

/** Validates a dispatch rule's inputs with no API call. */
export function checkDispatchRule(news: DispatchRuleInputs): pulumi.dynamic.CheckFailure[] {
  const failures = checkServerAndName(news);
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
function dispatchRuleFields(inputs: DispatchRuleInputs): {
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
function dispatchRuleFromInfo(info: SIPDispatchRuleInfo): Omit<DispatchRuleInputs, "url"> {
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

/** The whole rule as LiveKit stores it: a room per call, the agent dispatched by the room's configuration. */
function ruleInfoFor(inputs: DispatchRuleInputs, id = "") {
  const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
  const fields = dispatchRuleFields(inputs);
  return new sdk.SIPDispatchRuleInfo({
    sipDispatchRuleId: id,
    name: fields.name,
    trunkIds: fields.trunkIds,
    numbers: fields.numbers,
    rule: new sdk.SIPDispatchRule({
      rule: { case: "dispatchRuleIndividual", value: new sdk.SIPDispatchRuleIndividual({ roomPrefix: fields.roomPrefix }) },
    }),
    roomConfig: new sdk.RoomConfiguration({ agents: [new sdk.RoomAgentDispatch({ agentName: fields.agentName })] }),
  });
}

/**
 * LiveKit's UpdateSIPDispatchRule replaces the stored rule under the same ID, so every field
 * updates in place. Moving to another server (`url`) recreates the rule, deleting the old one
 * first: two rules for the same trunk on one server conflict.
 */
const dispatchRule = defineLiveKitResource<DispatchRuleInputs, SIPDispatchRuleInfo>({
  noun: "dispatch rule",
  type: "SipDispatchRule",
  fields: { url: "replaces", name: "in place", trunkIds: "in place", roomPrefix: "in place", agentName: "in place", numbers: "in place" },
  deleteBeforeReplace: true,
  check: checkDispatchRule,
  async create(client, inputs) {
    const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
    // The SDK's createSipDispatchRule has no `numbers` option, and a rule created without them
    // first would clash with the every-number rule of the same trunk. CreateSIPDispatchRuleRequest's
    // `dispatch_rule` carries the whole rule (livekit-server stores it as given); it is sent over
    // the client's own transport.
    const data = await sendSipRequest(client, "CreateSIPDispatchRule", { dispatchRule: ruleInfoFor(inputs).toJson() });
    return sdk.SIPDispatchRuleInfo.fromJson(data as never, { ignoreUnknownFields: true });
  },
  list: (client, id) => client.listSipDispatchRule({ dispatchRuleIds: [id] }),
  idOf: (rule) => rule.sipDispatchRuleId,
  fromInfo: dispatchRuleFromInfo,
  update: (client, id, inputs) => client.updateSipDispatchRule(id, ruleInfoFor(inputs, id)),
  remove: (client, id) => client.deleteSipDispatchRule(id),
});

/** CRUD for {@link LiveKitSipDispatchRule}; credentials come from stack config through `configure`. */
export const dispatchRuleProvider = dispatchRule.provider;

/**
 * A LiveKit SIP dispatch rule (`pulumi-nodejs:dynamic/livekit:SipDispatchRule`) that puts each
 * incoming call in its own room and dispatches the named agent there.
 */
export const LiveKitSipDispatchRule = dispatchRule.Resource;
