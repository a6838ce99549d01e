import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { googleLoadBalancerRanges } from "../components/network/firewall-rules";
import { internalPorts } from "../components/runtime-config/host-layout";
import { blockContains, parseAddressBlock } from "./address-block";
import { allowsPort, firewallType, ingressRule } from "./firewall-rule";
import { reportDeferred } from "./preview-values";

/**
 * The ports a rule may open only to Google's load balancer (several nodes): Caddy's backend, which
 * serves signaling, the API and the drain-aware health check, and the LiveKit API behind it.
 */
export const loadBalancerOnlyPorts: ReadonlyMap<number, string> = new Map([
  [internalPorts.loadBalancerBackend, "Caddy's load balancer backend"],
  [internalPorts.livekitApi, "the LiveKit API"],
]);

const loadBalancerBlocks = googleLoadBalancerRanges.map((cidr) => parseAddressBlock(cidr)).filter((b) => b !== undefined);

/**
 * Flags a firewall rule that opens the load balancer's backend or the LiveKit API to any source
 * outside Google's load balancer ranges (35.191.0.0/16, 130.211.0.0/22): those ports carry signaling
 * and the API unencrypted, which only the load balancer, having terminated TLS, may send. A rule
 * admitting only those ranges passes, which is how the policy tells the backend rule apart from an
 * exposure. Tag and service-account sources count as outside. At preview, unknown sources wait.
 */
export const validateLoadBalancerOnlyBackend: ResourceValidation = (args, reportViolation) => {
  if (args.type !== firewallType) return;
  const rule = ingressRule(args.props);
  if (rule === undefined) return;
  const opened = [...loadBalancerOnlyPorts].flatMap(([port, what]) => allowsPort(rule, port, ["tcp"]).map((label) => `${label} (${what})`));
  const outside = [
    ...rule.sourceRanges.filter((cidr) => {
      const block = parseAddressBlock(cidr);
      return block === undefined || !loadBalancerBlocks.some((allowed) => blockContains(allowed, block));
    }),
    ...rule.otherSources,
  ];
  if (opened.length > 0 && outside.length > 0) {
    reportViolation(
      `Firewall rule ${args.name} opens ${opened.join(", ")} to ${outside.join(", ")}. ` +
        `Only Google's load balancer ranges (${googleLoadBalancerRanges.join(", ")}) may reach it: make them the rule's only sourceRanges.`,
    );
  }
  const deferred = [
    ...(opened.length > 0 && rule.sourcesUnknown ? [`it opens ${opened.join(", ")} to sources not known until the update`] : []),
    ...(rule.allowedUnknown && (outside.length > 0 || rule.sourcesUnknown) ? ["some of its allowed ports are not known until the update"] : []),
  ];
  if (deferred.length > 0) {
    reportDeferred(reportViolation, `firewall rule ${args.name}: ${deferred.join("; ")}; whether only the load balancer reaches its backend port is checked then.`);
  }
};

/** The load balancer's backend port and the LiveKit API open to Google's load balancer ranges only. */
export const loadBalancerOnlyBackend: ResourceValidationPolicy = {
  name: "load-balancer-only-backend",
  description: "The load balancer's backend port (7890) and the LiveKit API (7880) are reachable only from Google's load balancer ranges, never from the internet or other sources.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateLoadBalancerOnlyBackend,
};
