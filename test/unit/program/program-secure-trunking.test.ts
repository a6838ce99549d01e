/**
 * Secure trunking (`secureTrunking`, on unless set false) under the mock runtime, in an update and in
 * a preview of a fresh stack: the ports the firewall opens to the carrier, the Twilio trunk and its
 * origination URL, and the transport and media encryption LiveKit's trunks require.
 */
import * as pulumi from "@pulumi/pulumi";
import { twilioSignalingCidrs } from "../../../components/config";
import { freshStackPreview } from "../../../scripts/plan/mock-monitor";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { runProgram, stackConfig } from "../../utils/offline-program";
import { mockStaticIp, type RecordedResource } from "../../utils/pulumi-mocks";

const firewallType = "gcp:compute/firewall:Firewall";

/** `port/protocol` of every SIP-related allow of the firewall, with the rule's sources. */
function sipRules(run: OfflineRun): { name: string; ports: string[]; sources: unknown }[] {
  return run.monitor
    .ofType(firewallType)
    .filter((rule) => rule.name.includes("sip"))
    .map((rule: RecordedResource) => ({
      name: rule.name,
      ports: rule.inputs.allows.flatMap((a: { protocol: string; ports: string[] }) => a.ports.map((p) => `${p}/${a.protocol}`)).sort(),
      sources: rule.inputs.sourceRanges,
    }));
}

const only = (run: OfflineRun, type: string): RecordedResource => {
  const found = run.monitor.ofType(type);
  expect(found).toHaveLength(1);
  return found[0];
};

const modes = [
  { mode: "update", options: {} },
  { mode: "preview of a fresh stack", options: { preview: freshStackPreview } },
] as const;

describe.each(modes)("secure trunking on (the default), $mode", ({ options }) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runProgram(stackConfig("prod"), "prod", options);
  }, 180_000);

  it("opens SIP over TLS on 5061/tcp to the carrier's signaling ranges and leaves 5060 closed", () => {
    expect(sipRules(run)).toEqual([{ name: "voice-net-sip-tls", ports: ["5061/tcp"], sources: [...twilioSignalingCidrs] }]);
    const everyPort = run.monitor.ofType(firewallType).flatMap((r) => r.inputs.allows.flatMap((a: { ports: string[] }) => a.ports));
    expect(everyPort).not.toContain("5060");
  });

  it("makes the Twilio trunk secure with an origination URL of the SIP host name over TLS", () => {
    expect(only(run, "pulumi-nodejs:dynamic/twilio:Trunk").inputs.secure).toBe(true);
    // A name, not the static IP: known even before the address exists, and the name Twilio checks the certificate against.
    expect(only(run, "pulumi-nodejs:dynamic/twilio:OriginationUrl").inputs.sipUrl).toBe("sip:sip.voice.agentstudio.example.com:5061;transport=tls");
  });

  it("has LiveKit's outbound trunk dial Twilio over TLS and both trunks require SRTP", () => {
    expect(only(run, "pulumi-nodejs:dynamic/livekit:SipOutboundTrunk").inputs).toMatchObject({ transport: "tls", mediaEncryption: "require" });
    expect(only(run, "pulumi-nodejs:dynamic/livekit:SipInboundTrunk").inputs).toMatchObject({ mediaEncryption: "require" });
  });

  it("adds the SIP host name to the DNS records and to the names the deployment waits for", () => {
    expect(run.monitor.ofType("gcp:dns/recordSet:RecordSet").map((r) => r.inputs.name)).toEqual([
      "voice.agentstudio.example.com.",
      "sip.voice.agentstudio.example.com.",
    ]);
    expect(run.monitor.byName("voice-deploy-wait-dns").inputs.triggers).toEqual(
      expect.arrayContaining(["voice.agentstudio.example.com", "sip.voice.agentstudio.example.com"]),
    );
  });
});

it("exports the TLS SIP URI of a secure stack", async () => {
  const run = await runProgram(stackConfig("prod"));
  expect(run.outputs.sipUri).toBe("sip:sip.voice.agentstudio.example.com:5061;transport=tls");
  expect(run.outputs.dnsRecord).toBe(`voice.agentstudio.example.com. A ${mockStaticIp}, sip.voice.agentstudio.example.com. A ${mockStaticIp} (managed by this stack)`);
}, 180_000);

describe.each(modes)("secure trunking off, $mode", ({ mode, options }) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runProgram(stackConfig("prod", { "agent-studio-voice:secureTrunking": "false" }), "prod", options);
  }, 180_000);

  it("opens clear SIP on 5060 (UDP and TCP) to the carrier's signaling ranges and not 5061", () => {
    expect(sipRules(run)).toEqual([{ name: "voice-net-sip-signaling", ports: ["5060/tcp", "5060/udp"], sources: [...twilioSignalingCidrs] }]);
  });

  it("keeps the Twilio trunk clear with an origination URL of the static IP on 5060", () => {
    expect(only(run, "pulumi-nodejs:dynamic/twilio:Trunk").inputs.secure).toBe(false);
    const sipUrl = only(run, "pulumi-nodejs:dynamic/twilio:OriginationUrl").inputs.sipUrl;
    // The static IP is not known in a preview of a fresh stack.
    if (mode === "update") expect(sipUrl).toBe(`sip:${mockStaticIp}:5060`);
    else expect(pulumi.isUnknown(sipUrl)).toBe(true);
  });

  it("leaves LiveKit's trunks as before secure trunking existed: transport auto, no media encryption field", () => {
    const outbound = only(run, "pulumi-nodejs:dynamic/livekit:SipOutboundTrunk").inputs;
    expect(outbound.transport).toBe("auto");
    expect(outbound).not.toHaveProperty("mediaEncryption");
    expect(only(run, "pulumi-nodejs:dynamic/livekit:SipInboundTrunk").inputs).not.toHaveProperty("mediaEncryption");
  });

  it("keeps the one DNS record of the domain", () => {
    expect(run.monitor.ofType("gcp:dns/recordSet:RecordSet").map((r) => r.inputs.name)).toEqual(["voice.agentstudio.example.com."]);
  });
});
