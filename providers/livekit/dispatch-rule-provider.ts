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
    const request = { dispatchRule: ruleInfoFor(inputs).toJson() };
    const rule = await callLiveKit(ctx, inputs.url, `create dispatch rule "${inputs.name}"`, async (client) => {
      const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
      // The SDK's createSipDispatchRule has no `numbers` option, and a rule created without them
      // first would clash with the every-number rule of the same trunk. CreateSIPDispatchRuleRequest's
      // `dispatch_rule` carries the whole rule (livekit-server stores it as given); it is sent over
      // the client's own Twirp transport (SDK pinned in package.json) so timeouts and errors are the SDK's.
      const rpc = (client as unknown as { rpc: { request(service: string, method: string, data: unknown, headers: unknown): Promise<unknown> } }).rpc;
      const data = await rpc.request("SIP", "CreateSIPDispatchRule", request, await client.authHeader({}, { admin: true }));
      return sdk.SIPDispatchRuleInfo.fromJson(data as never, { ignoreUnknownFields: true });
    });
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
    const rule = ruleInfoFor(news, id);
    await callLiveKit(ctx, news.url, `update dispatch rule ${id}`, (client) => client.updateSipDispatchRule(id, rule));
    return {};
  },

  async delete(ctx, id, props) {
    await callLiveKit(ctx, props.url, `delete dispatch rule ${id}`, (client) => client.deleteSipDispatchRule(id));
  },
});
