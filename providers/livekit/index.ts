/**
 * LiveKit SIP resources as Pulumi dynamic providers over livekit-server-sdk: the outbound
 * trunk that dials the carrier, the inbound trunk that accepts its calls, and the dispatch
 * rule that gives each incoming call a room with the agent in it. API credentials come from
 * stack config (`livekitApiKey`, `livekitApiSecret`) through the providers' `configure` step.
 */
export { checkDispatchRule, dispatchRuleProvider, LiveKitSipDispatchRule, type DispatchRuleInputs } from "./dispatch-rule";
export { checkInboundTrunk, inboundTrunkProvider, LiveKitSipInboundTrunk, type InboundTrunkInputs } from "./inbound-trunk";
export { checkOutboundTrunk, LiveKitSipOutboundTrunk, outboundTrunkProvider, type OutboundTrunkInputs } from "./outbound-trunk";
export { sipMediaEncryptions, type SipMediaEncryptionName, type SipTransportName } from "./sip-values";
