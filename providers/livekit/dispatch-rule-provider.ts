/**
 * Dynamic provider for a LiveKit SIP dispatch rule, over livekit-server-sdk's SipClient.
 * Serialized by Pulumi: the SDK is `require`d inside methods.
 */
import { defineProvider } from "../base/define-provider";
import {
  checkDispatchRule,
  dispatchRuleDiffPolicy,
  dispatchRuleFields,
  dispatchRuleFromInfo,
  type DispatchRuleInputs,
} from "./dispatch-rule-inputs";
import {
  callLiveKit,
  classifyLiveKitFailure,
  connectLiveKit,
  type LiveKitCredentials,
  type NoComputedOutputs,
} from "./livekit-api";

/** The room configuration that dispatches `agentName` into each call's room. */
function roomConfigFor(agentName: string) {
  const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
  return new sdk.RoomConfiguration({ agents: [new sdk.RoomAgentDispatch({ agentName })] });
}

/** CRUD for `LiveKitSipDispatchRule`; credentials come from stack config through `configure`. */
export const dispatchRuleProvider = defineProvider<LiveKitCredentials, DispatchRuleInputs, NoComputedOutputs>({
  kind: "LiveKit SIP dispatch rule",
  connect: connectLiveKit,
  secrets: (settings) => [settings?.apiSecret],
  describe: (props) => JSON.stringify(props.name ?? ""),
  check: (news) => checkDispatchRule(news),
  diffPolicy: dispatchRuleDiffPolicy,
  classify: classifyLiveKitFailure,

  async create(ctx, inputs) {
    const fields = dispatchRuleFields(inputs);
    const rule = await callLiveKit(ctx, inputs.url, `create dispatch rule "${inputs.name}"`, (client) =>
      client.createSipDispatchRule(
        { type: "individual", roomPrefix: fields.roomPrefix },
        { name: fields.name, trunkIds: fields.trunkIds, roomConfig: roomConfigFor(fields.agentName) },
      ),
    );
    return { id: rule.sipDispatchRuleId, computed: {} };
  },

  async read(ctx, id, props) {
    const rules = await callLiveKit(ctx, props.url, `read dispatch rule ${id}`, (client) =>
      client.listSipDispatchRule({ dispatchRuleIds: [id] }),
    );
    // Filtering by ID returns only matches on a self-hosted server; LiveKit Cloud may pad missing IDs.
    const live = rules.find((rule) => rule?.sipDispatchRuleId === id);
    return live === undefined ? undefined : dispatchRuleFromInfo(live);
  },

  async update(ctx, id, _olds, news) {
    const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
    const fields = dispatchRuleFields(news);
    const rule = new sdk.SIPDispatchRuleInfo({
      sipDispatchRuleId: id,
      name: fields.name,
      trunkIds: fields.trunkIds,
      rule: new sdk.SIPDispatchRule({
        rule: { case: "dispatchRuleIndividual", value: new sdk.SIPDispatchRuleIndividual({ roomPrefix: fields.roomPrefix }) },
      }),
      roomConfig: roomConfigFor(fields.agentName),
    });
    await callLiveKit(ctx, news.url, `update dispatch rule ${id}`, (client) => client.updateSipDispatchRule(id, rule));
    return {};
  },

  async delete(ctx, id, props) {
    await callLiveKit(ctx, props.url, `delete dispatch rule ${id}`, (client) => client.deleteSipDispatchRule(id));
  },
});
