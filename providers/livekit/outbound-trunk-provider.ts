/**
 * Dynamic provider for a LiveKit SIP outbound trunk, over livekit-server-sdk's SipClient.
 * Serialized by Pulumi: the SDK is `require`d inside methods.
 */
import { defineProvider } from "../base/define-provider";
import {
  callLiveKit,
  classifyLiveKitFailure,
  connectLiveKit,
  type LiveKitCredentials,
  type NoComputedOutputs,
} from "./livekit-api";
import {
  checkOutboundTrunk,
  outboundTrunkDiffPolicy,
  outboundTrunkFields,
  outboundTrunkFromInfo,
  type OutboundTrunkInputs,
} from "./outbound-trunk-inputs";

/** CRUD for `LiveKitSipOutboundTrunk`; credentials come from stack config through `configure`. */
export const outboundTrunkProvider = defineProvider<LiveKitCredentials, OutboundTrunkInputs, NoComputedOutputs>({
  kind: "LiveKit SIP outbound trunk",
  connect: connectLiveKit,
  secrets: (settings, props) => [settings?.apiSecret, props.authPassword],
  describe: (props) => JSON.stringify(props.name ?? ""),
  check: (news) => checkOutboundTrunk(news),
  diffPolicy: outboundTrunkDiffPolicy,
  classify: classifyLiveKitFailure,

  async create(ctx, inputs) {
    const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
    const fields = outboundTrunkFields(inputs);
    const trunk = await callLiveKit(ctx, inputs.url, `create outbound trunk "${inputs.name}"`, (client) =>
      client.createSipOutboundTrunk(fields.name, fields.address, fields.numbers, {
        transport: fields.transport,
        authUsername: fields.authUsername,
        authPassword: fields.authPassword,
        headers: fields.headers,
        destinationCountry: fields.destinationCountry,
        // The SDK's option takes the protocol message, which it does not export: built through the trunk message.
        media: new sdk.SIPOutboundTrunkInfo({ media: fields.media }).media,
      }),
    );
    return { id: trunk.sipTrunkId, computed: {} };
  },

  async read(ctx, id, props) {
    const trunks = await callLiveKit(ctx, props.url, `read outbound trunk ${id}`, (client) =>
      client.listSipOutboundTrunk({ trunkIds: [id] }),
    );
    // Filtering by ID returns only matches on a self-hosted server; LiveKit Cloud may pad missing IDs.
    const live = trunks.find((trunk) => trunk?.sipTrunkId === id);
    return live === undefined ? undefined : outboundTrunkFromInfo(live);
  },

  async update(ctx, id, _olds, news) {
    const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
    // A whole-trunk replace under the same ID: the field-mask update cannot change headers.
    const trunk = new sdk.SIPOutboundTrunkInfo({ ...outboundTrunkFields(news), sipTrunkId: id });
    await callLiveKit(ctx, news.url, `update outbound trunk ${id}`, (client) => client.updateSipOutboundTrunk(id, trunk));
    return {};
  },

  async delete(ctx, id, props) {
    await callLiveKit(ctx, props.url, `delete outbound trunk ${id}`, (client) => client.deleteSipTrunk(id));
  },
});
