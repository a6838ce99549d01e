import { dynamicResourceClass } from "../base/dynamic-resource";
import type { InboundTrunkInputs } from "./inbound-trunk-inputs";
import { inboundTrunkProvider } from "./inbound-trunk-provider";

/**
 * A LiveKit SIP inbound trunk (`pulumi-nodejs:dynamic/livekit:SipInboundTrunk`); its ID is the
 * `ST_…` trunk ID dispatch rules refer to. `authPassword` stays secret in state and previews.
 */
export const LiveKitSipInboundTrunk = dynamicResourceClass<InboundTrunkInputs, InboundTrunkInputs>({
  module: "livekit",
  type: "SipInboundTrunk",
  provider: inboundTrunkProvider,
  outputs: ["url", "name", "numbers", "allowedAddresses", "authUsername", "authPassword", "ringingTimeoutSeconds", "mediaEncryption"],
  secretOutputs: ["authPassword"],
});
