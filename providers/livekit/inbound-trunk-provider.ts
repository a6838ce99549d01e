/**
 * Dynamic provider for a LiveKit SIP inbound trunk, over livekit-server-sdk's SipClient.
 * Serialized by Pulumi: the SDK is `require`d inside methods.
 */
import { defineProvider } from "../base/define-provider";
import {
  checkInboundTrunk,
  inboundTrunkDiffPolicy,
  inboundTrunkFields,
  inboundTrunkFromInfo,
  type InboundTrunkInputs,
} from "./inbound-trunk-inputs";
import {
  callLiveKit,
  classifyLiveKitFailure,
  connectLiveKit,
  type LiveKitCredentials,
  type NoComputedOutputs,
} from "./livekit-api";

/** CRUD for `LiveKitSipInboundTrunk`; credentials come from stack config through `configure`. */
export const inboundTrunkProvider = defineProvider<LiveKitCredentials, InboundTrunkInputs, NoComputedOutputs>({
  kind: "LiveKit SIP inbound trunk",
  connect: connectLiveKit,
  secrets: (settings, props) => [settings?.apiSecret, props.authPassword],
  describe: (props) => JSON.stringify(props.name ?? ""),
  check: (news) => checkInboundTrunk(news),
  diffPolicy: inboundTrunkDiffPolicy,
  classify: classifyLiveKitFailure,

  async create(ctx, inputs) {
    const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
    const fields = inboundTrunkFields(inputs);
    const trunk = await callLiveKit(ctx, inputs.url, `create inbound trunk "${inputs.name}"`, (client) =>
      client.createSipInboundTrunk(fields.name, fields.numbers, {
        allowedAddresses: fields.allowedAddresses,
        authUsername: fields.authUsername,
        authPassword: fields.authPassword,
        ringingTimeout: fields.ringingTimeoutSeconds,
        // The SDK's option takes the protocol message, which it does not export: built through the trunk message.
        media: new sdk.SIPInboundTrunkInfo({ media: fields.media }).media,
      }),
    );
    return { id: trunk.sipTrunkId, computed: {} };
  },

  async read(ctx, id, props) {
    const trunks = await callLiveKit(ctx, props.url, `read inbound trunk ${id}`, (client) =>
      client.listSipInboundTrunk({ trunkIds: [id] }),
    );
    // Filtering by ID returns only matches on a self-hosted server; LiveKit Cloud may pad missing IDs.
    const live = trunks.find((trunk) => trunk?.sipTrunkId === id);
    return live === undefined ? undefined : inboundTrunkFromInfo(live);
  },

  async update(ctx, id, _olds, news) {
    const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
    const { ringingTimeoutSeconds, ...fields } = inboundTrunkFields(news);
    const trunk = new sdk.SIPInboundTrunkInfo({ ...fields, ringingTimeout: { seconds: BigInt(ringingTimeoutSeconds) }, sipTrunkId: id });
    await callLiveKit(ctx, news.url, `update inbound trunk ${id}`, (client) => client.updateSipInboundTrunk(id, trunk));
    return {};
  },

  async delete(ctx, id, props) {
    await callLiveKit(ctx, props.url, `delete inbound trunk ${id}`, (client) => client.deleteSipTrunk(id));
  },
});
