/** Pure checks for network values shared by config validation and the components. */

const ipv4Octet = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const ipv4Pattern = new RegExp(`^${ipv4Octet}(\\.${ipv4Octet}){3}$`);

/** True for a dotted-quad IPv4 address. */
export function isIpv4(value: string): boolean {
  return ipv4Pattern.test(value);
}

/** True for an IPv4 CIDR whose address has no bits set beyond the prefix (GCE rejects those). */
export function isIpv4Cidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || prefix === undefined || !isIpv4(address) || !/^\d{1,2}$/.test(prefix)) return false;
  const bits = Number(prefix);
  if (bits > 32) return false;
  const host = ipv4ToInt(address);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((host & ~mask) >>> 0) === 0;
}

/** The IPv4 address as an unsigned 32-bit integer. */
export function ipv4ToInt(address: string): number {
  return address.split(".").reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}

/** True for a fully qualified lowercase DNS name with at least two labels. */
export function isHostname(value: string): boolean {
  return (
    value.length <= 253 &&
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(value)
  );
}
