import { dynamicResourceClass } from "../base/dynamic-resource";
import type { OutboundTrunkInputs } from "./outbound-trunk-inputs";
import { outboundTrunkProvider } from "./outbound-trunk-provider";

/**
 * A LiveKit SIP outbound trunk (`pulumi-nodejs:dynamic/livekit:SipOutboundTrunk`); its ID is
 * the `ST_…` trunk ID the worker dials with. `authPassword` stays secret in state and previews.
 */
export const LiveKitSipOutboundTrunk = dynamicResourceClass<OutboundTrunkInputs, OutboundTrunkInputs>({
  module: "livekit",
  type: "SipOutboundTrunk",
  provider: outboundTrunkProvider,
  outputs: ["url", "name", "address", "numbers", "transport", "authUsername", "authPassword", "headers", "destinationCountry", "mediaEncryption"],
  secretOutputs: ["authPassword"],
});
