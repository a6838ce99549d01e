import { itemsOf, read, unknown } from "./preview-values";

/** Type token of a GCE VPC firewall rule. */
export const firewallType = "gcp:compute/firewall:Firewall";

/** An inclusive port range. */
export interface PortRange {
  /** First port. */
  start: number;
  /** Last port. */
  end: number;
}

/** What one `allows` entry lets in: a protocol and its ports. */
export interface AllowedTraffic {
  /** Protocol: `tcp`, `udp`, `sctp` or `all` (numbers are read as these names). */
  protocol: string;
  /** Ports as written; empty when the entry names none (every port). */
  ports: string[];
  /** Parsed ranges; every port when none are named or one cannot be read. */
  ranges: PortRange[];
}

/** An ingress rule as the policies read it. */
export interface IngressRule {
  /**
   * Source CIDRs the rule admits, as far as they are known. A rule that names no source at all (no
   * ranges, tags or service accounts) admits `0.0.0.0/0`: that is what GCE does with it
   * (terraform-provider-google#6789).
   */
  sourceRanges: string[];
  /** Source network tags and service accounts (VMs of the network, not addresses). */
  otherSources: string[];
  /** True when some sources are not known until the update (computed from a resource it creates). */
  sourcesUnknown: boolean;
  /** Traffic the rule allows, on protocols that have ports, as far as it is known. */
  allowed: AllowedTraffic[];
  /** True when some allowed protocols or ports are not known until the update. */
  allowedUnknown: boolean;
}

const everyPort: PortRange = { start: 0, end: 65535 };

// Protocols that carry ports; others (icmp, esp…) cannot reach a service port. GCE also takes
// IANA protocol numbers, read here as their names.
const portProtocols = new Set(["tcp", "udp", "sctp", "all"]);
const protocolNumbers: Record<string, string> = { "6": "tcp", "17": "udp", "132": "sctp" };

function parseRange(port: string): PortRange | undefined {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(port.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  return start <= end && end <= 65535 ? { start, end } : undefined;
}

/** The known strings of a list property, and whether any of it is not known yet. */
function strings(value: unknown): { known: string[]; someUnknown: boolean } {
  if (value === unknown) return { known: [], someUnknown: true };
  const items = itemsOf(value) ?? [];
  return { known: items.filter((v) => v !== unknown).map((v) => String(v)), someUnknown: items.includes(unknown) };
}

/**
 * Reads a firewall resource's properties; undefined for egress rules. Ports that cannot be read
 * count as every port, so a typo never hides an exposure. Values not known during a preview are
 * left out and flagged, so the policies judge what is known and name what waits for the update.
 */
export function ingressRule(props: Record<string, any>): IngressRule | undefined {
  const direction = read(props, "direction");
  if (direction !== unknown && (direction ?? "INGRESS") !== "INGRESS") return undefined;
  const ranges = strings(read(props, "sourceRanges"));
  const tags = strings(read(props, "sourceTags"));
  const accounts = strings(read(props, "sourceServiceAccounts"));
  const otherSources = [...tags.known.map((t) => `tag ${t}`), ...accounts.known.map((s) => `service account ${s}`)];
  const sourcesUnknown = ranges.someUnknown || tags.someUnknown || accounts.someUnknown;
  const allows = read(props, "allows");
  const entries = itemsOf(allows) ?? [];
  let allowedUnknown = allows === unknown || entries.includes(unknown);
  const allowed: AllowedTraffic[] = [];
  for (const allow of entries) {
    if (allow === unknown) continue;
    const written = read(allow, "protocol");
    const ports = strings(read(allow, "ports"));
    if (written === unknown || ports.someUnknown) {
      allowedUnknown = true;
      continue;
    }
    const protocol = protocolNumbers[String(written ?? "").toLowerCase()] ?? String(written ?? "").toLowerCase();
    if (!portProtocols.has(protocol)) continue;
    const parsed = ports.known.map(parseRange);
    const portRanges = ports.known.length === 0 || parsed.some((r) => r === undefined) ? [everyPort] : (parsed as PortRange[]);
    allowed.push({ protocol, ports: ports.known, ranges: portRanges });
  }
  const noSources = ranges.known.length === 0 && otherSources.length === 0 && !sourcesUnknown;
  return { sourceRanges: noSources ? ["0.0.0.0/0"] : ranges.known, otherSources, sourcesUnknown, allowed, allowedUnknown };
}

/** The `port/protocol` labels under which `rule` lets `port` in (empty when it does not). */
export function allowsPort(rule: IngressRule, port: number, protocols?: readonly string[]): string[] {
  return rule.allowed
    .filter((a) => protocols === undefined || a.protocol === "all" || protocols.includes(a.protocol))
    .filter((a) => a.ranges.some((r) => port >= r.start && port <= r.end))
    .map((a) => `${port}/${a.protocol}`);
}

/** The `ports/protocol` labels of entries that let in any port of `range`. */
export function allowsAnyOf(rule: IngressRule, range: PortRange, protocols?: readonly string[]): string[] {
  return rule.allowed
    .filter((a) => protocols === undefined || a.protocol === "all" || protocols.includes(a.protocol))
    .filter((a) => a.ranges.some((r) => r.start <= range.end && range.start <= r.end))
    .map((a) => `${a.ports.length > 0 ? a.ports.join(",") : "all ports"}/${a.protocol}`);
}
