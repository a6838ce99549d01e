import fc from "fast-check";
import { firewallRules, type FirewallInput } from "../../components/network";

const base: FirewallInput = {
  rtcTcpPort: 7881,
  rtcUdpPort: 7882,
  turnUdpPort: 3478,
  turnEnabled: false,
  sipPort: 5060,
  rtpPortStart: 10000,
  rtpPortEnd: 20000,
  carrierSignalingCidrs: ["54.172.60.0/30"],
  carrierMediaCidrs: ["168.86.128.0/18"],
  adminCidrs: ["198.51.100.0/24"],
};

describe("firewallRules", () => {
  it("opens TURN only when it is enabled", () => {
    expect(firewallRules(base).map((r) => r.role)).not.toContain("turn-udp");
    expect(firewallRules({ ...base, turnEnabled: true }).find((r) => r.role === "turn-udp")?.allows).toEqual([
      { protocol: "udp", ports: ["3478"] },
    ]);
  });

  it("keeps SIP, RTP and SSH to their configured sources and internal ports closed for any valid ports", () => {
    const port = fc.integer({ min: 1024, max: 65535 });
    fc.assert(
      fc.property(port, port, port, port, fc.integer({ min: 1, max: 5000 }), fc.boolean(), (rtcTcp, rtcUdp, sip, rtpStart, width, turn) => {
        const input = { ...base, rtcTcpPort: rtcTcp, rtcUdpPort: rtcUdp, sipPort: sip, rtpPortStart: rtpStart, rtpPortEnd: Math.min(65535, rtpStart + width), turnEnabled: turn };
        const rules = firewallRules(input);
        const byRole = Object.fromEntries(rules.map((r) => [r.role, r]));
        expect(byRole["sip-signaling"].sourceRanges).toEqual(input.carrierSignalingCidrs);
        expect(byRole["rtp-media"].sourceRanges).toEqual(input.carrierMediaCidrs);
        expect(byRole["ssh-admin"].sourceRanges).toEqual(input.adminCidrs);
        expect(byRole["rtp-media"].allows).toEqual([{ protocol: "udp", ports: [`${input.rtpPortStart}-${input.rtpPortEnd}`] }]);
        const internetPorts = rules.filter((r) => r.sourceRanges.includes("0.0.0.0/0")).flatMap((r) => r.allows.flatMap((a) => a.ports));
        for (const closed of ["22", "7880", "6379"]) expect(internetPorts).not.toContain(closed);
      }),
    );
  });
});
