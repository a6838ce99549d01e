import type { StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { allowsPort, firewallType, ingressRule } from "./firewall-rule";
import { read, reportDeferred, unknown } from "./preview-values";

/** Type tokens of the dynamic resources this policy reads (distinct per kind, see distinct-dynamic-types). */
export const secureTrunkingTypes = {
  twilioTrunk: "pulumi-nodejs:dynamic/twilio:Trunk",
  originationUrl: "pulumi-nodejs:dynamic/twilio:OriginationUrl",
  outboundTrunk: "pulumi-nodejs:dynamic/livekit:SipOutboundTrunk",
  inboundTrunk: "pulumi-nodejs:dynamic/livekit:SipInboundTrunk",
} as const;

/** Clear SIP's port (UDP and TCP); SIP over TLS uses 5061. */
const clearSipPort = 5060;

/**
 * On a stack whose Twilio trunk is secure (TLS signaling, SRTP media), nothing may carry a call in
 * clear: no firewall rule lets clear SIP (5060) in from anywhere, every origination URL names
 * `transport=tls`, LiveKit's outbound trunk dials over TLS and both LiveKit trunks require SRTP.
 * A stack without a secure trunk is not judged here (carrier-only-sip-rtp still limits its sources).
 */
export const validateSecureTrunkingNoClearSip: StackValidation = (args, reportViolation) => {
  const secure = args.resources.filter((r) => r.type === secureTrunkingTypes.twilioTrunk && read(r.props, "secure") === true);
  if (secure.length === 0) return;
  const fix = "Set agent-studio-voice:secureTrunking true (the default) and run pulumi up, or turn secure trunking off on the Twilio trunk too.";
  const deferred: string[] = [];
  for (const resource of args.resources) {
    const { type, name, props, urn } = resource;
    if (type === firewallType) {
      const rule = ingressRule(props);
      if (rule === undefined) continue;
      const clear = allowsPort(rule, clearSipPort, ["tcp", "udp"]);
      if (clear.length > 0) {
        reportViolation(`Firewall rule ${name} lets clear SIP (${clear.join(", ")}) in on a stack whose Twilio trunk is secure: only SIP over TLS (5061/tcp) may be open. ${fix}`, urn);
      }
      if (rule.allowedUnknown) deferred.push(`firewall rule ${name}'s ports`);
    } else if (type === secureTrunkingTypes.originationUrl) {
      const sipUrl = read(props, "sipUrl");
      if (sipUrl === unknown) deferred.push(`origination URL ${name}`);
      else if (typeof sipUrl !== "string" || !/;transport=tls(;|$)/i.test(sipUrl)) {
        reportViolation(`Origination URL ${name} (${JSON.stringify(sipUrl)}) sends calls in clear to a secure trunk: expected sip:<SIP host>:5061;transport=tls. ${fix}`, urn);
      }
    } else if (type === secureTrunkingTypes.outboundTrunk || type === secureTrunkingTypes.inboundTrunk) {
      const transport = read(props, "transport");
      if (type === secureTrunkingTypes.outboundTrunk && transport !== "tls" && transport !== unknown) {
        reportViolation(`LiveKit outbound trunk ${name} dials the secure Twilio trunk over ${JSON.stringify(transport ?? "auto")}: expected transport "tls". ${fix}`, urn);
      }
      const encryption = read(props, "mediaEncryption");
      if (encryption !== "require" && encryption !== unknown) {
        reportViolation(`LiveKit trunk ${name} has mediaEncryption ${JSON.stringify(encryption ?? "unset")}: a secure trunk's calls need "require" (SRTP only). ${fix}`, urn);
      }
    }
  }
  if (deferred.length > 0) {
    reportDeferred(reportViolation, `${deferred.join(", ")} not known until the update; whether clear SIP stays closed on this secure stack is checked then.`);
  }
};

/** A stack with a secure Twilio trunk carries no call in clear. */
export const secureTrunkingNoClearSip: StackValidationPolicy = {
  name: "secure-trunking-no-clear-sip",
  description: "On a stack with a secure Twilio trunk, clear SIP (5060) is closed, origination is over TLS and LiveKit's trunks use TLS and require SRTP.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: validateSecureTrunkingNoClearSip,
};
