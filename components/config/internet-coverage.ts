import { ipv4ToInt, isIpv4Cidr } from "./network-values";

/** An inclusive range of IPv4 addresses as unsigned 32-bit integers. */
interface Span {
  first: number;
  last: number;
}

const lastAddress = 0xffffffff;

/**
 * IPv4 addresses that never arrive as the source of a packet from the internet: the IANA
 * IPv4 Special-Purpose Address Registry's blocks marked not globally reachable (RFC 6890,
 * https://www.iana.org/assignments/iana-ipv4-special-registry), the deprecated 6to4 relay
 * anycast block (RFC 7526), and multicast, which is never a source address (RFC 1122 3.2.1.3).
 * A firewall source list that covers every address outside these admits the whole internet.
 */
const neverInternetSources: readonly string[] = [
  "0.0.0.0/8", // "this network"
  "10.0.0.0/8", // private use
  "100.64.0.0/10", // shared address space (carrier-grade NAT)
  "127.0.0.0/8", // loopback
  "169.254.0.0/16", // link local
  "172.16.0.0/12", // private use
  "192.0.0.0-192.0.0.8", // IETF protocol assignments, up to the PCP anycast address
  "192.0.0.11-192.0.0.255", // ... after the TURN anycast address (192.0.0.9 and .10 are globally reachable)
  "192.0.2.0/24", // documentation (TEST-NET-1)
  "192.88.99.0/24", // deprecated 6to4 relay anycast
  "192.168.0.0/16", // private use
  "198.18.0.0/15", // benchmarking
  "198.51.100.0/24", // documentation (TEST-NET-2)
  "203.0.113.0/24", // documentation (TEST-NET-3)
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, and the limited broadcast address 255.255.255.255
];

/** The span of a CIDR (`a.b.c.d/n`) or of a range written `first-last`. */
function spanOf(block: string): Span {
  const range = /^([\d.]+)-([\d.]+)$/.exec(block);
  if (range) return { first: ipv4ToInt(range[1]), last: ipv4ToInt(range[2]) };
  const [address, prefix] = block.split("/");
  const first = ipv4ToInt(address);
  return { first, last: first + 2 ** (32 - Number(prefix)) - 1 };
}

const excludedSpans: readonly Span[] = neverInternetSources.map(spanOf);

/**
 * True when the IPv4 CIDRs together admit every address the internet can send from: their
 * union, with the blocks that are never internet sources, is the whole address space. So
 * `0.0.0.0/0`, `0.0.0.0/1` + `128.0.0.0/1`, and the usual "everything but private ranges" list
 * are all the whole internet. Items that are not IPv4 CIDRs are ignored (they are refused apart).
 */
export function coversWholeInternet(cidrs: readonly string[]): boolean {
  const spans = [...cidrs.filter(isIpv4Cidr).map(spanOf), ...excludedSpans].sort((a, b) => a.first - b.first);
  // Walk the spans in order, tracking the first address not yet covered.
  let next = 0;
  for (const span of spans) {
    if (span.first > next) return false;
    next = Math.max(next, span.last + 1);
    if (next > lastAddress) return true;
  }
  return false;
}
