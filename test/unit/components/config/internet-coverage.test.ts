import fc from "fast-check";
import { coversWholeInternet } from "../../../../components/config/internet-coverage";

/** A CIDR as a base address (unsigned 32-bit) and a prefix length. */
interface Prefix {
  base: number;
  bits: number;
}

const blockSize = (bits: number): number => 2 ** (32 - bits);

function parse(cidr: string): Prefix {
  const [address, bits] = cidr.split("/");
  const base = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return { base, bits: Number(bits) };
}

function format({ base, bits }: Prefix): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join(".")}/${bits}`;
}

/**
 * The addresses that are never internet sources, written out here as CIDRs straight from IANA's
 * special-purpose registry (not from the code under test): 192.0.0.0/24 appears as the CIDRs around
 * the globally reachable 192.0.0.9 and 192.0.0.10.
 */
const neverSources = [
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
  "192.0.0.0/29", "192.0.0.8/32", "192.0.0.11/32", "192.0.0.12/30", "192.0.0.16/28", "192.0.0.32/27", "192.0.0.64/26", "192.0.0.128/25",
  "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
  "224.0.0.0/4", "240.0.0.0/4",
].map(parse);

const contains = (outer: Prefix, inner: Prefix): boolean =>
  inner.bits >= outer.bits && Math.floor(inner.base / blockSize(outer.bits)) === Math.floor(outer.base / blockSize(outer.bits));
const overlaps = (a: Prefix, b: Prefix): boolean => contains(a, b) || contains(b, a);

/**
 * Oracle by a different method than the code under test: a prefix is covered when a listed or
 * never-source block contains it, or when both its halves are covered.
 */
function oracleCovers(list: readonly Prefix[], prefix: Prefix = { base: 0, bits: 0 }): boolean {
  const blocks = [...list, ...neverSources].filter((b) => overlaps(b, prefix));
  if (blocks.some((b) => contains(b, prefix))) return true;
  if (blocks.length === 0 || prefix.bits === 32) return false;
  const half = blockSize(prefix.bits + 1);
  const inner = blocks.filter((b) => b.bits > prefix.bits);
  return oracleCovers(inner, { base: prefix.base, bits: prefix.bits + 1 }) && oracleCovers(inner, { base: prefix.base + half, bits: prefix.bits + 1 });
}

/** Any IPv4 CIDR, biased towards short prefixes (the ones that can cover much). */
const anyCidr: fc.Arbitrary<Prefix> = fc
  .tuple(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 32 })), fc.nat({ max: 0xffffffff }))
  .map(([bits, address]) => ({ bits, base: Math.floor(address / blockSize(bits)) * blockSize(bits) }));

/** The whole address space cut into disjoint CIDRs, by a random series of splits. */
const partition: fc.Arbitrary<Prefix[]> = fc.array(fc.nat({ max: 1000 }), { maxLength: 40 }).map((cuts) => {
  let leaves: Prefix[] = [{ base: 0, bits: 0 }];
  for (const cut of cuts) {
    const i = cut % leaves.length;
    const leaf = leaves[i];
    if (leaf.bits === 32) continue;
    const half = { bits: leaf.bits + 1 };
    leaves = [...leaves.slice(0, i), { ...half, base: leaf.base }, { ...half, base: leaf.base + blockSize(leaf.bits + 1) }, ...leaves.slice(i + 1)];
  }
  return leaves;
});

const holdsInternetSource = (prefix: Prefix): boolean => !oracleCovers([], prefix);

describe("coversWholeInternet", () => {
  it.each([
    [["0.0.0.0/0"], true],
    [["0.0.0.0/1", "128.0.0.0/1"], true],
    [["128.0.0.0/1", "0.0.0.0/1", "198.51.100.0/24"], true],
    // Everything below multicast: every unicast source.
    [["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3"], true],
    // WireGuard's well-known "all but RFC 1918" list.
    [
      [
        "0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/3",
        "160.0.0.0/5", "168.0.0.0/6", "172.0.0.0/12", "172.32.0.0/11", "172.64.0.0/10", "172.128.0.0/9", "173.0.0.0/8",
        "174.0.0.0/7", "176.0.0.0/4", "192.0.0.0/9", "192.128.0.0/11", "192.160.0.0/13", "192.169.0.0/16", "192.170.0.0/15",
        "192.172.0.0/14", "192.176.0.0/12", "192.192.0.0/10", "193.0.0.0/8", "194.0.0.0/7", "196.0.0.0/6", "200.0.0.0/5", "208.0.0.0/4",
      ],
      true,
    ],
    [["0.0.0.0/1"], false],
    [["0.0.0.0/1", "128.0.0.0/2"], false],
    [["198.51.100.0/24"], false],
    [["54.172.60.0/30", "168.86.128.0/18"], false],
    [[], false],
  ])("%j covers the whole internet: %s", (cidrs, expected) => {
    expect(coversWholeInternet(cidrs)).toBe(expected);
  });

  it("counts the globally reachable anycast addresses inside 192.0.0.0/24 as internet sources", () => {
    const allBut = (hole: string): string[] => {
      const h = parse(hole);
      return [...partitionAround(h)].map(format);
    };
    expect(coversWholeInternet(allBut("192.0.0.9/32"))).toBe(false);
    expect(coversWholeInternet(allBut("192.0.0.10/32"))).toBe(false);
    expect(coversWholeInternet(allBut("192.0.0.8/32"))).toBe(true);
    expect(coversWholeInternet(allBut("10.0.0.0/8"))).toBe(true);
    expect(coversWholeInternet(allBut("8.8.8.8/32"))).toBe(false);
  });

  it("agrees with the prefix-splitting oracle on any list", () => {
    const list = fc.oneof(
      fc.array(anyCidr, { maxLength: 8 }),
      fc.tuple(partition, fc.array(fc.nat(), { maxLength: 3 }), fc.array(anyCidr, { maxLength: 2 })).map(([leaves, drops, extra]) => {
        const kept = leaves.filter((_, i) => !drops.some((d) => d % leaves.length === i));
        return [...kept, ...extra];
      }),
    );
    fc.assert(
      fc.property(list, (prefixes) => {
        expect(coversWholeInternet(prefixes.map(format))).toBe(oracleCovers(prefixes));
      }),
      { numRuns: 2000 },
    );
  });

  it("everything but one hole covers the internet exactly when the hole holds no internet source, down to a single address", () => {
    fc.assert(
      fc.property(anyCidr, (hole) => {
        expect(coversWholeInternet([...partitionAround(hole)].map(format))).toBe(!holdsInternetSource(hole));
      }),
      { numRuns: 1000 },
    );
  });

  it("a partition of the address space covers the internet exactly while every dropped piece holds no internet source", () => {
    fc.assert(
      fc.property(partition, fc.nat(), (leaves, pick) => {
        expect(coversWholeInternet(leaves.map(format))).toBe(true);
        const dropped = leaves[pick % leaves.length];
        const rest = leaves.filter((leaf) => leaf !== dropped).map(format);
        expect(coversWholeInternet(rest)).toBe(!holdsInternetSource(dropped));
        const withoutNeverSources = leaves.filter(holdsInternetSource).map(format);
        expect(coversWholeInternet(withoutNeverSources)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

/** The CIDRs that cover everything except `hole`: the sibling of each prefix on the path down to it. */
function* partitionAround(hole: Prefix): Generator<Prefix> {
  for (let bits = 1; bits <= hole.bits; bits++) {
    const size = blockSize(bits);
    const onPath = Math.floor(hole.base / size) * size;
    const parentBase = Math.floor(hole.base / blockSize(bits - 1)) * blockSize(bits - 1);
    yield { bits, base: onPath === parentBase ? parentBase + size : parentBase };
  }
}
