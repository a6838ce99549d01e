/**
 * LiveKit SIP resources as Pulumi dynamic providers over livekit-server-sdk: the outbound
 * trunk that dials the carrier, the inbound trunk that accepts its calls, and the dispatch
 * rule that gives each incoming call a room with the agent in it. API credentials come from
 * stack config (`livekitApiKey`, `livekitApiSecret`) through the providers' `configure` step.
 */
export { apiUrlProblem } from "./api-url";
export { LiveKitSipDispatchRule } from "./dispatch-rule";
export { checkDispatchRule, dispatchRuleDiffPolicy, type DispatchRuleInputs } from "./dispatch-rule-inputs";
export { dispatchRuleProvider } from "./dispatch-rule-provider";
export { LiveKitSipInboundTrunk } from "./inbound-trunk";
export {
  checkInboundTrunk,
  DEFAULT_INBOUND_RINGING_TIMEOUT_SECONDS,
  inboundTrunkDiffPolicy,
  type InboundTrunkInputs,
} from "./inbound-trunk-inputs";
export { inboundTrunkProvider } from "./inbound-trunk-provider";
export {
  classifyLiveKitFailure,
  connectLiveKit,
  explainLiveKitFailure,
  liveKitConfigKeys,
  type LiveKitApiError,
  type LiveKitCredentials,
} from "./livekit-api";
export { LiveKitSipOutboundTrunk } from "./outbound-trunk";
export { checkOutboundTrunk, outboundTrunkDiffPolicy, type OutboundTrunkInputs } from "./outbound-trunk-inputs";
export { outboundTrunkProvider } from "./outbound-trunk-provider";
export { sipMediaEncryptions, sipTransports, type SipMediaEncryptionName, type SipTransportName } from "./sip-values";
