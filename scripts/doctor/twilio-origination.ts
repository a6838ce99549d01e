import type { Twilio } from "twilio";
import { type CheckOutcome, type DoctorCheck, fail, pass } from "./check-result";

/** An origination URL of a Twilio trunk. */
export interface OriginationUrl {
  sipUrl: string;
  enabled: boolean;
}

/** The Twilio lookups the check needs, so it can be tested without Twilio. */
export interface TrunkDirectory {
  /** The SID of the trunk with this termination domain, if any. */
  trunkSid(domain: string): Promise<string | undefined>;
  /** The trunk's origination URLs. */
  originationUrls(trunkSid: string): Promise<OriginationUrl[]>;
}

/** A {@link TrunkDirectory} over the twilio SDK (Trunking v1: list trunks, list origination URLs). */
export function twilioTrunkDirectory(client: Twilio): TrunkDirectory {
  return {
    async trunkSid(domain) {
      const trunks = await client.trunking.v1.trunks.list();
      return trunks.find((t) => t.domainName?.toLowerCase() === domain.toLowerCase())?.sid;
    },
    async originationUrls(trunkSid) {
      const urls = await client.trunking.v1.trunks(trunkSid).originationUrls.list();
      return urls.map((u) => ({ sipUrl: u.sipUrl, enabled: u.enabled }));
    },
  };
}

/** The host of a SIP URI (`sip:203.0.113.10:5060;transport=udp` → `203.0.113.10`). */
export function sipUrlHost(sipUrl: string): string {
  return sipUrl.replace(/^sips?:/i, "").replace(/^[^@]*@/, "").split(/[;?]/)[0].replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
}

/**
 * The Twilio trunk (by termination domain) sends incoming calls to `staticIp`: the static IP, or
 * under secure trunking (`tls`) the SIP host name with `;transport=tls`. With several nodes, `node`
 * is the node whose address `staticIp` is: its URL is its own, and one left disabled is a roll that stopped.
 */
export function twilioOriginationCheck(directory: TrunkDirectory, trunkDomain: string, staticIp: string, tls = false, node?: number): DoctorCheck {
  const fix =
    node === undefined
      ? "`pulumi up` sets the trunk's origination URL to the stack's sipUri output (the TwilioSipTrunk component)."
      : `\`pulumi up\` gives the trunk one origination URL per node, node ${node}'s to the stack output nodes.sipUris[${node}] (the TwilioSipTrunk component).`;
  // With several nodes the rolling deploy owns `enabled`: it leaves a URL disabled when the roll failed at that node.
  const disabledFix =
    node === undefined
      ? `Enable it: ${fix}`
      : `A rolling deploy that stopped at node ${node} leaves its URL disabled, so Twilio sends its calls to the other nodes. ` +
        "Fix what failed (the `pulumi up` output names the step) and run `pulumi up` again: it enables the URL once the node is healthy; " +
        "or, with the node healthy, enable it by hand (README, Rolling deploys).";
  return {
    name: "twilio-origination",
    async run(): Promise<CheckOutcome> {
      const sid = await directory.trunkSid(trunkDomain);
      if (!sid) return fail(`the Twilio account has no trunk with domain ${trunkDomain}`, `Check agent-studio-voice:twilioTrunkDomain and twilioAccountSid; ${fix}`);
      const urls = await directory.originationUrls(sid);
      const ours = urls.filter((u) => sipUrlHost(u.sipUrl) === staticIp && (!tls || /;transport=tls(;|$)/i.test(u.sipUrl)));
      const enabled = ours.filter((u) => u.enabled);
      if (enabled.length > 0) return pass(`trunk ${sid} sends calls to ${enabled.map((u) => u.sipUrl).join(", ")}`);
      if (ours.length > 0) return fail(`trunk ${sid} has ${ours[0].sipUrl} but it is disabled`, disabledFix);
      const others = urls.length === 0 ? "it has none" : `it has ${urls.map((u) => u.sipUrl).join(", ")}`;
      return fail(`trunk ${sid} has no origination URL to ${staticIp} (${others})`, fix);
    },
  };
}

/** A directory that asks Twilio once per trunk domain and trunk, however many nodes' checks ask it. */
export function sharedTrunkDirectory(directory: TrunkDirectory): TrunkDirectory {
  const sids = new Map<string, Promise<string | undefined>>();
  const urls = new Map<string, Promise<OriginationUrl[]>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, ask());
    return cache.get(key)!;
  };
  return {
    trunkSid: (domain) => once(sids, domain, () => directory.trunkSid(domain)),
    originationUrls: (sid) => once(urls, sid, () => directory.originationUrls(sid)),
  };
}
