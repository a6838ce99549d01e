/**
 * Whether an inbound call to a number would reach an agent: the LiveKit inbound trunk that takes
 * it, the dispatch rule LiveKit would pick for it, and that rule's agent. The rule is chosen as
 * livekit-server chooses (protocol `sip.MatchDispatchRuleIter`): a rule naming the trunk wins over
 * one for every trunk, and within those a rule naming the called number wins over one for every
 * number (`sip.DispatchRulePriority`). Rules limited to some callers or behind a PIN do not take
 * every call, so they are not counted.
 */
import type { SIPDispatchRuleInfo, SIPInboundTrunkInfo } from "livekit-server-sdk";
import { ipv4ToInt, isIpv4 } from "../../components/config/network-values";

/** The inbound trunk for `number` and how it stands against the carrier's signaling ranges. */
export interface TrunkVerdict {
  /** The first trunk listing the number, if any. */
  trunk?: SIPInboundTrunkInfo;
  /** How many more trunks list it. */
  others: number;
  /** Carrier ranges the trunk's allowed addresses do not cover. */
  uncovered: string[];
}

/** An IPv4 address or CIDR as [network, prefix length], or undefined for anything else (IPv6, a hostname). */
function ipv4Range(value: string): [number, number] | undefined {
  const [address, prefix = "32"] = value.split("/");
  if (!isIpv4(address) || !/^\d{1,2}$/.test(prefix) || Number(prefix) > 32) return undefined;
  const bits = Number(prefix);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [(ipv4ToInt(address) & mask) >>> 0, bits];
}

/** True when every address of `inner` is inside `outer` (IPv4 addresses or CIDRs). */
export function rangeCovers(outer: string, inner: string): boolean {
  const [o, i] = [ipv4Range(outer), ipv4Range(inner)];
  if (o === undefined || i === undefined) return outer === inner;
  const mask = o[1] === 0 ? 0 : (0xffffffff << (32 - o[1])) >>> 0;
  return o[1] <= i[1] && ((i[0] & mask) >>> 0) === o[0];
}

/** The trunk that takes calls to `number`, and the carrier ranges it would refuse. */
export function trunkFor(number: string, trunks: readonly SIPInboundTrunkInfo[], carrierCidrs: readonly string[]): TrunkVerdict {
  const listing = trunks.filter((t) => t.numbers.includes(number));
  const trunk = listing[0];
  const uncovered = trunk === undefined ? [] : carrierCidrs.filter((cidr) => !trunk.allowedAddresses.some((allowed) => rangeCovers(allowed, cidr)));
  return { trunk, others: Math.max(0, listing.length - 1), uncovered };
}

/** Whether a rule is behind a PIN (a caller without it is refused). */
function hasPin(rule: SIPDispatchRuleInfo): boolean {
  const kind = rule.rule?.rule;
  return kind !== undefined && kind.case !== undefined && "pin" in kind.value && kind.value.pin !== "";
}

/** The rule livekit-server would pick for a call to `number` arriving on `trunkId`, if any takes every caller. */
export function ruleFor(number: string, trunkId: string, rules: readonly SIPDispatchRuleInfo[]): SIPDispatchRuleInfo | undefined {
  const candidates = rules.filter(
    (r) =>
      (r.trunkIds.length === 0 || r.trunkIds.includes(trunkId)) &&
      (r.numbers.length === 0 || r.numbers.includes(number)) &&
      r.inboundNumbers.length === 0 &&
      !hasPin(r),
  );
  const rank = (r: SIPDispatchRuleInfo) => (r.trunkIds.length === 0 ? 2 : 0) + (r.numbers.length === 0 ? 1 : 0);
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
}

/** The agent names a rule dispatches into each call's room. */
export function agentsOf(rule: SIPDispatchRuleInfo): string[] {
  return (rule.roomConfig?.agents ?? []).map((a) => a.agentName).filter((name) => name !== "");
}
