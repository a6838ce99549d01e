import fc from "fast-check";
import { validateStackConfig } from "../../../../components/config";
import { firewallInputFrom, firewallRules, type FirewallInput } from "../../../../components/network";
import { internalServices } from "../../../../components/runtime-config/host-layout";
import { key, rawConfig } from "../../../utils/config-fixtures";

const base: FirewallInput = {
  rtcTcpPort: 7881,
  rtcUdpPort: 7882,
  turnUdpPort: 3478,
  turnEnabled: false,
  sipPort: 5060,
  secureTrunking: false,
  rtpPortStart: 10000,
  rtpPortEnd: 20000,
  carrierSignalingCidrs: ["54.172.60.0/30"],
  carrierMediaCidrs: ["168.86.128.0/18"],
  adminCidrs: ["198.51.100.0/24"],
};

describe("firewallRules", () => {
  it("opens Caddy's load balancer backend only with several nodes, and only to Google's load balancer ranges", () => {
    expect(firewallRules(base).filter((r) => r.role === "lb-backend")).toEqual([]);
    const rule = firewallRules({ ...base, loadBalanced: true }).find((r) => r.role === "lb-backend");
    expect(rule?.allows).toEqual([{ protocol: "tcp", ports: ["7890"] }]);
    expect(rule?.sourceRanges).toEqual(["35.191.0.0/16", "130.211.0.0/22"]);
    const result = validateStackConfig(rawConfig({ [key("nodes")]: "2" }), "test");
    if (!result.ok) throw new Error("the fixture config is valid");
    expect(firewallInputFrom(result.config).loadBalanced).toBe(true);
  });

  it("opens TURN only when it is enabled", () => {
    expect(firewallRules(base).map((r) => r.role)).not.toContain("turn-udp");
    expect(firewallRules({ ...base, turnEnabled: true }).find((r) => r.role === "turn-udp")?.allows).toEqual([
      { protocol: "udp", ports: ["3478"] },
    ]);
  });

  it("opens clear SIP on sipPort (UDP and TCP) without secure trunking, and only SIP over TLS on 5061/tcp with it, both to the carrier", () => {
    const sip = (input: FirewallInput) =>
      firewallRules(input)
        .filter((r) => r.role.startsWith("sip"))
        .map(({ role, allows, sourceRanges }) => ({ role, allows, sourceRanges }));
    expect(sip(base)).toEqual([
      {
        role: "sip-signaling",
        allows: [
          { protocol: "udp", ports: ["5060"] },
          { protocol: "tcp", ports: ["5060"] },
        ],
        sourceRanges: ["54.172.60.0/30"],
      },
    ]);
    expect(sip({ ...base, secureTrunking: true })).toEqual([
      { role: "sip-tls", allows: [{ protocol: "tcp", ports: ["5061"] }], sourceRanges: ["54.172.60.0/30"] },
    ]);
    const secureAllows = firewallRules({ ...base, secureTrunking: true }).flatMap((r) => r.allows.flatMap((a) => a.ports));
    expect(secureAllows).not.toContain("5060");
  });

  it("keeps SIP, RTP and SSH to their configured sources and every internal port closed, for any ports config validation accepts", () => {
    // Internal and well-known ports often, so clashes with them are tried on every run.
    const port = fc.oneof(fc.constantFrom(22, 80, 443, 3478, 5060, 5061, 7881, 7882, ...internalServices.map((s) => s.port)), fc.integer({ min: 1, max: 65535 }));
    const closed = ["22", ...internalServices.map((s) => String(s.port))];
    let accepted = 0;
    fc.assert(
      fc.property(port, port, port, port, fc.integer({ min: 1, max: 5000 }), fc.boolean(), fc.boolean(), (rtcTcp, rtcUdp, sip, rtpStart, width, turn, secure) => {
        const result = validateStackConfig(
          rawConfig({
            [key("rtcTcpPort")]: String(rtcTcp),
            [key("rtcUdpPort")]: String(rtcUdp),
            [key("sipPort")]: String(sip),
            [key("rtpPortStart")]: String(rtpStart),
            [key("rtpPortEnd")]: String(Math.min(65535, rtpStart + width)),
            [key("turnEnabled")]: String(turn),
            [key("secureTrunking")]: String(secure),
          }),
          "test",
        );
        if (!result.ok) return;
        accepted++;
        const input = firewallInputFrom(result.config);
        const rules = firewallRules(input);
        const byRole = Object.fromEntries(rules.map((r) => [r.role, r]));
        expect(byRole[secure ? "sip-tls" : "sip-signaling"].sourceRanges).toEqual(input.carrierSignalingCidrs);
        expect(byRole["rtp-media"].sourceRanges).toEqual(input.carrierMediaCidrs);
        expect(byRole["ssh-admin"].sourceRanges).toEqual(input.adminCidrs);
        expect(byRole["rtp-media"].allows).toEqual([{ protocol: "udp", ports: [`${input.rtpPortStart}-${input.rtpPortEnd}`] }]);
        const internetTcpPorts = rules
          .filter((r) => r.sourceRanges.includes("0.0.0.0/0"))
          .flatMap((r) => r.allows.filter((a) => a.protocol === "tcp").flatMap((a) => a.ports));
        for (const port of closed) expect(internetTcpPorts).not.toContain(port);
      }),
      { numRuns: 500 },
    );
    // The property says nothing unless some configs pass validation.
    expect(accepted).toBeGreaterThan(50);
  });

  it("maps validated config onto the firewall's values", () => {
    const result = validateStackConfig(rawConfig({ [key("turnEnabled")]: "true" }), "test");
    if (!result.ok) throw new Error("the fixture config is valid");
    expect(firewallInputFrom(result.config)).toEqual({
      rtcTcpPort: 7881,
      rtcUdpPort: 7882,
      turnUdpPort: 3478,
      turnEnabled: true,
      sipPort: 5060,
      secureTrunking: true,
      rtpPortStart: 10000,
      rtpPortEnd: 20000,
      carrierSignalingCidrs: result.config.carrier.signalingCidrs,
      carrierMediaCidrs: ["168.86.128.0/18"],
      adminCidrs: ["198.51.100.0/24"],
    });
  });
});
