import { validateSecureTrunkingNoClearSip } from "../../../policy/secure-trunking-no-clear-sip";
import { type ResourceUnderTest, stackVerdict, unknownString } from "../../utils/policy-args";

const violations = async (resources: ResourceUnderTest[]): Promise<string[]> => (await stackVerdict(validateSecureTrunkingNoClearSip, resources)).violations;

const trunk = (secure: boolean): ResourceUnderTest => ({ type: "pulumi-nodejs:dynamic/twilio:Trunk", name: "trunk", props: { secure } });
const firewall = (name: string, protocol: string, port: string): ResourceUnderTest => ({
  type: "gcp:compute/firewall:Firewall",
  name,
  props: { direction: "INGRESS", sourceRanges: ["54.172.60.0/30"], allows: [{ protocol, ports: [port] }] },
});
const origination = (sipUrl: string): ResourceUnderTest => ({ type: "pulumi-nodejs:dynamic/twilio:OriginationUrl", name: "origination", props: { sipUrl } });
const outbound = (props: object): ResourceUnderTest => ({ type: "pulumi-nodejs:dynamic/livekit:SipOutboundTrunk", name: "outbound", props });
const inbound = (props: object): ResourceUnderTest => ({ type: "pulumi-nodejs:dynamic/livekit:SipInboundTrunk", name: "inbound", props });

const secureStack = [
  trunk(true),
  firewall("sip-tls", "tcp", "5061"),
  origination("sip:sip.voice.example.com:5061;transport=tls"),
  outbound({ transport: "tls", mediaEncryption: "require" }),
  inbound({ mediaEncryption: "require" }),
];

describe("secure-trunking-no-clear-sip", () => {
  it("passes a secure stack whose SIP is all TLS and SRTP", async () => {
    expect(await violations(secureStack)).toEqual([]);
  });

  it("refuses clear SIP on 5060, a clear origination URL and LiveKit trunks without TLS or SRTP on a secure stack", async () => {
    const found = await violations([
      trunk(true),
      firewall("sip-udp", "udp", "5060"),
      firewall("sip-tcp", "tcp", "5000-6000"),
      origination("sip:203.0.113.10:5060"),
      outbound({ transport: "udp", mediaEncryption: "require" }),
      inbound({}),
    ]);
    expect(found).toEqual([
      expect.stringContaining("Firewall rule sip-udp lets clear SIP (5060/udp) in"),
      expect.stringContaining("Firewall rule sip-tcp lets clear SIP (5060/tcp) in"),
      expect.stringContaining('Origination URL origination ("sip:203.0.113.10:5060") sends calls in clear'),
      expect.stringContaining('LiveKit outbound trunk outbound dials the secure Twilio trunk over "udp"'),
      expect.stringContaining('LiveKit trunk inbound has mediaEncryption "unset"'),
    ]);
  });

  it("does not judge a stack whose Twilio trunk is not secure", async () => {
    expect(await violations([trunk(false), firewall("sip", "udp", "5060"), origination("sip:203.0.113.10:5060")])).toEqual([]);
  });

  it("defers an origination URL not known at preview to the update", async () => {
    const verdict = await stackVerdict(validateSecureTrunkingNoClearSip, [trunk(true), origination(unknownString)]);
    expect(verdict.violations).toEqual([]);
    expect(verdict.deferred).toEqual([expect.stringContaining("origination URL origination not known until the update")]);
  });
});
