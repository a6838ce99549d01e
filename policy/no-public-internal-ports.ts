import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { fixedPublicPorts, internalServices } from "../components/runtime-config/host-layout";
import { isWholeInternet, parseAddressBlock } from "./address-block";
import { allowsPort, firewallType, ingressRule } from "./firewall-rule";
import { reportDeferred } from "./preview-values";

/**
 * Ports that must never be reachable from the internet, with what listens there: SSH (admins
 * only) and every loopback service of the host (DESIGN.md's exposure table).
 */
export const internalOnlyPorts: ReadonlyMap<number, string> = new Map([
  [fixedPublicPorts.ssh, "SSH"],
  ...internalServices.map(({ port, what }) => [port, what] as const),
]);

/**
 * Flags a firewall rule that lets the whole internet reach SSH, the LiveKit API, Redis or a
 * metrics/admin port. At preview it judges the known sources and ports; when the sources or
 * ports that decide it are not known yet, it says so and the check runs at the update.
 */
export const validateNoPublicInternalPorts: ResourceValidation = (args, reportViolation) => {
  if (args.type !== firewallType) return;
  const rule = ingressRule(args.props);
  if (rule === undefined) return;
  const internet = rule.sourceRanges.filter((cidr) => {
    const block = parseAddressBlock(cidr);
    return block !== undefined && isWholeInternet(block);
  });
  const opened = [...internalOnlyPorts].flatMap(([port, what]) => allowsPort(rule, port).map((label) => `${label} (${what})`));
  if (internet.length > 0) {
    for (const [port, what] of internalOnlyPorts) {
      const labels = allowsPort(rule, port);
      if (labels.length > 0) {
        reportViolation(
          `Firewall rule ${args.name} opens ${labels.join(", ")} (${what}) to ${internet.join(", ")}. ` +
            (port === fixedPublicPorts.ssh
              ? "SSH is for admin CIDRs only: set agent-studio-voice:adminCidrs and use them as the rule's sourceRanges."
              : "This port stays on loopback behind Caddy or GCE's implied deny; remove it from the rule."),
        );
      }
    }
    if (rule.allowedUnknown) {
      reportDeferred(
        reportViolation,
        `firewall rule ${args.name} admits ${internet.join(", ")} on ports not known until the update; whether they include SSH, the LiveKit API, Redis or a metrics port is checked then.`,
      );
    }
  } else if (rule.sourcesUnknown && (opened.length > 0 || rule.allowedUnknown)) {
    const ports = opened.length > 0 ? opened.join(", ") : "ports not known until the update";
    reportDeferred(
      reportViolation,
      `firewall rule ${args.name} opens ${ports} to sources not known until the update; whether they include the whole internet is checked then.`,
    );
  }
};

/** No firewall rule opens SSH, 7880, 6379 or a metrics/admin port to 0.0.0.0/0 or ::/0. */
export const noPublicInternalPorts: ResourceValidationPolicy = {
  name: "no-public-internal-ports",
  description: "No firewall rule opens SSH (22), the LiveKit API (7880), Redis (6379) or a metrics/admin port to the whole internet.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateNoPublicInternalPorts,
};
