import { dynamicResourceClass } from "../base/dynamic-resource";
import type { DispatchRuleInputs } from "./dispatch-rule-inputs";
import { dispatchRuleProvider } from "./dispatch-rule-provider";

/**
 * A LiveKit SIP dispatch rule (`pulumi-nodejs:dynamic/livekit:SipDispatchRule`) that puts each
 * incoming call in its own room and dispatches the named agent there; its ID is the `SDR_…` rule ID.
 */
export const LiveKitSipDispatchRule = dynamicResourceClass<DispatchRuleInputs, DispatchRuleInputs>({
  module: "livekit",
  type: "SipDispatchRule",
  provider: dispatchRuleProvider,
  outputs: ["url", "name", "trunkIds", "roomPrefix", "agentName", "numbers"],
});
