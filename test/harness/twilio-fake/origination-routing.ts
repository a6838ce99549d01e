/**
 * How the fake routes a call to a trunk's number, as Twilio's origination does: among the trunk's
 * ENABLED origination URLs, the lowest priority value wins, and URLs of equal priority share the
 * calls in proportion to their weight (Twilio docs, "Elastic SIP Trunking: origination"). Twilio's
 * draw is random; tests may pin it.
 */
import type { FakeTwilio } from "./fake-twilio-server";
import type { CallPlacer, FinalCallStatus, RequestedCall } from "./twilio-calls";

/** An origination URL as routing sees it. */
export interface RoutableUrl {
  sipUrl: string;
  priority: number;
  weight: number;
  enabled: boolean;
}

/**
 * The URL a call goes to: the enabled URLs of lowest priority value, one picked with probability
 * weight / total weight, `draw` in [0, 1). Undefined when no URL is enabled.
 */
export function pickOriginationUrl(urls: readonly RoutableUrl[], draw: number): RoutableUrl | undefined {
  const enabled = urls.filter((url) => url.enabled);
  if (enabled.length === 0) return undefined;
  const top = Math.min(...enabled.map((url) => url.priority));
  const candidates = enabled.filter((url) => url.priority === top);
  const total = candidates.reduce((sum, url) => sum + url.weight, 0);
  let point = draw * total;
  for (const url of candidates) {
    if (point < url.weight) return url;
    point -= url.weight;
  }
  return candidates[candidates.length - 1];
}

/** `host:port` of a `sip:host:port` origination URL (Twilio sends to port 5060 when none is given). */
export function sipAddress(sipUrl: string): string {
  const match = /^sip:(?:[^@]+@)?([^:;]+)(?::(\d+))?/.exec(sipUrl);
  if (!match) throw new Error(`origination URL ${sipUrl} is not a sip: URI`);
  return `${match[1]}:${match[2] ?? 5060}`;
}

/** Sends one call's origination leg to `address` (`host:port`) and says how it ended. */
export type OriginationDialer = (address: string, call: RequestedCall) => Promise<FinalCallStatus>;

/**
 * A {@link CallPlacer} that routes each call to the number's trunk's origination URLs as they are
 * in the fake at that moment (`draw` stands in for Twilio's random pick), and records where each went.
 */
export function originationPlacer(
  fake: FakeTwilio,
  dial: OriginationDialer,
  draw: (call: RequestedCall) => number = () => Math.random(),
): { placer: CallPlacer; routed(): { sid: string; sipUrl: string }[] } {
  const routed: { sid: string; sipUrl: string }[] = [];
  const placer: CallPlacer = async (call) => {
    const number = [...fake.state.phoneNumbers.values()].find((n) => n.phoneNumber === call.to);
    const trunk = number?.trunkSid ? fake.state.trunks.get(number.trunkSid) : undefined;
    if (!trunk) throw new Error(`the fake has no trunk taking calls to ${call.to}`);
    const url = pickOriginationUrl([...trunk.originationUrls.values()], draw(call));
    if (!url) return "failed";
    routed.push({ sid: call.sid, sipUrl: url.sipUrl });
    return dial(sipAddress(url.sipUrl), call);
  };
  return { placer, routed: () => [...routed] };
}
