import { isIP } from "node:net";

/** An IPv4 or IPv6 CIDR block as numbers, so blocks of either family can be compared. */
export interface AddressBlock {
  /** 4 or 6. */
  family: 4 | 6;
  /** The block's address as an integer (host bits as written; comparisons mask them). */
  address: bigint;
  /** Prefix length. */
  prefix: number;
}

const familyBits = { 4: 32, 6: 128 } as const;

function ipv4ToBigInt(address: string): bigint {
  return address.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(address: string): bigint {
  // A trailing dotted IPv4 part (`::ffff:1.2.3.4`) stands for the last two 16-bit groups.
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4ToBigInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill("0"), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/**
 * Parses `address/prefix` (or a bare address, a block of one) of either family; undefined for
 * anything else, so callers can name the value they could not read.
 */
export function parseAddressBlock(text: string): AddressBlock | undefined {
  const [address, prefixText, ...rest] = text.trim().split("/");
  const family = isIP(address);
  if (rest.length > 0 || (family !== 4 && family !== 6) || address.includes("%")) return undefined;
  const bits = familyBits[family];
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { family, address: family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address), prefix };
}

/** True when every address of `inner` lies inside `outer`. */
export function blockContains(outer: AddressBlock, inner: AddressBlock): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const shift = BigInt(familyBits[outer.family] - outer.prefix);
  return outer.address >> shift === inner.address >> shift;
}

/** True for a block covering a whole address family (`0.0.0.0/0`, `::/0`): the internet. */
export function isWholeInternet(block: AddressBlock): boolean {
  return block.prefix === 0;
}
