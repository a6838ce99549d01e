import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { blockContains, parseAddressBlock } from "./address-block";
import { type AllowedBlock, type CarrierPolicyConfig, carrierPolicyConfigSchema, carrierRules } from "./carrier-policy-config";
import { allowsAnyOf, allowsPort, firewallType, ingressRule, type IngressRule } from "./firewall-rule";
import { reportDeferred } from "./preview-values";

/** Sources of `rule` not inside any allowed block: CIDRs outside them, and tag/service-account sources. */
function sourcesOutside(rule: IngressRule, allowed: readonly AllowedBlock[]): string[] {
  const outside = rule.sourceRanges.filter((cidr) => {
    const block = parseAddressBlock(cidr);
    return block === undefined || !allowed.some((a) => blockContains(a.block, block));
  });
  return [...outside, ...rule.otherSources];
}

function origins(allowed: readonly AllowedBlock[]): string {
  return [...new Set(allowed.map((a) => a.origin))].join(", ") || "none configured";
}

/** Whether some known sources lie outside the allowed blocks (tag and service-account sources always do). */
const anyOutside = (rule: IngressRule, allowed: readonly AllowedBlock[]): boolean => sourcesOutside(rule, allowed).length > 0;

/**
 * Flags a firewall rule letting SIP signaling or RTP media in from sources outside the carrier's
 * ranges (Twilio's by default) and the named overrides of the pack config. At preview it judges the
 * known sources and ports; what an unknown source or port decides is named and checked at the update.
 */
export const validateCarrierOnlySipRtp: ResourceValidation = (args, reportViolation) => {
  if (args.type !== firewallType) return;
  const rule = ingressRule(args.props);
  if (rule === undefined) return;
  const rules = carrierRules(args.getConfig<Partial<CarrierPolicyConfig>>());
  const fix =
    "Restrict the rule to the carrier's ranges (stack config agent-studio-voice:carrierSignalingCidrs / carrierMediaCidrs), " +
    'or add a named override {"name", "reason", "signalingCidrs"/"mediaCidrs"} to the carrier-only-sip-rtp policy config (--policy-pack-config).';
  const deferred: string[] = [];
  /** Reports `traffic` let in on `ports` from sources outside `allowed` (the `kind` ranges); unknown sources are judged at the update. */
  const judge = (traffic: string, ports: readonly string[], kind: string, allowed: readonly AllowedBlock[]) => {
    if (ports.length === 0) return;
    const outside = sourcesOutside(rule, allowed);
    if (outside.length > 0) {
      reportViolation(
        `Firewall rule ${args.name} lets ${traffic} (${ports.join(", ")}) in from ${outside.join(", ")}, ` +
          `outside the allowed ${kind} ranges (${origins(allowed)}). ${fix}`,
      );
    }
    if (rule.sourcesUnknown) deferred.push(`it lets ${traffic} (${ports.join(", ")}) in from sources not known until the update`);
  };
  judge("SIP signaling", rules.sipPorts.flatMap((port) => allowsPort(rule, port, ["tcp", "udp"])), "signaling", rules.signaling);
  judge("RTP media", allowsAnyOf(rule, rules.rtpPorts, ["udp"]), "media", rules.media);
  // Ports not known yet matter only if some source could not send SIP or RTP under the rules.
  if (rule.allowedUnknown && (rule.sourcesUnknown || anyOutside(rule, rules.signaling) || anyOutside(rule, rules.media))) {
    deferred.push("some of its allowed ports are not known until the update, and its sources are not all within the carrier's ranges");
  }
  if (deferred.length > 0) {
    reportDeferred(reportViolation, `firewall rule ${args.name}: ${deferred.join("; ")}; whether SIP and RTP stay within the carrier's ranges is checked then.`);
  }
};

/** SIP (5060, and 5061 over TLS) and RTP sources stay within the configured carrier ranges, unless a named override allows more. */
export const carrierOnlySipRtp: ResourceValidationPolicy = {
  name: "carrier-only-sip-rtp",
  description:
    "SIP signaling and RTP media are reachable only from the carrier's ranges (Twilio's by default) or a named override in the policy config.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: carrierPolicyConfigSchema,
  validateResource: validateCarrierOnlySipRtp,
};
