import fc from "fast-check";
import { twilioMediaCidrs, twilioSignalingCidrs } from "../../../components/config";
import { blockContains, parseAddressBlock } from "../../../policy/address-block";
import { carrierPolicyConfigSchema, carrierPolicyDefaults, carrierRules } from "../../../policy/carrier-policy-config";
import { validateCarrierOnlySipRtp } from "../../../policy/carrier-only-sip-rtp";
import { firewall, resourceVerdict, resourceViolations, unknownString } from "../../utils/policy-args";

const sip = (sourceRanges: string[]) => firewall("sip", { allows: [{ protocol: "udp", ports: ["5060"] }, { protocol: "tcp", ports: ["5060"] }], sourceRanges });
const rtp = (sourceRanges: string[], ports = ["10000-20000"]) => firewall("rtp", { allows: [{ protocol: "udp", ports }], sourceRanges });
const check = (resource: ReturnType<typeof firewall>, config: object = {}) => resourceViolations(validateCarrierOnlySipRtp, resource, config);

describe("policy carrier-only-sip-rtp", () => {
  it("passes Twilio's ranges (the default config) and blocks inside them", async () => {
    expect(await check(sip([...twilioSignalingCidrs]))).toEqual([]);
    expect(await check(rtp([...twilioMediaCidrs]))).toEqual([]);
    expect(await check(rtp(["168.86.130.0/24"]))).toEqual([]);
  });

  it("flags SIP from the internet, naming the sources, the carrier and both fixes", async () => {
    const [violation, ...rest] = await check(sip(["54.172.60.0/30", "0.0.0.0/0"]));
    expect(rest).toEqual([]);
    expect(violation).toContain("sip lets SIP signaling (5060/udp, 5060/tcp) in from 0.0.0.0/0, outside the allowed signaling ranges (carrier twilio)");
    expect(violation).toMatch(/carrierSignalingCidrs/);
    expect(violation).toMatch(/named override/);
  });

  it("flags RTP from a wider block, overlapping port ranges, all-UDP rules and tag sources", async () => {
    expect(await check(rtp(["168.86.0.0/16"]))).toEqual([expect.stringContaining("lets RTP media (10000-20000/udp) in from 168.86.0.0/16")]);
    expect(await check(rtp(["203.0.113.0/24"], ["15000-30000"]))).toHaveLength(1);
    expect(await check(firewall("open", { allows: [{ protocol: "udp" }], sourceRanges: ["203.0.113.0/24"] }))).toHaveLength(2);
    expect(await check(firewall("tags", { allows: [{ protocol: "udp", ports: ["5060"] }], sourceTags: ["pbx"] }))).toEqual([
      expect.stringContaining("in from tag pbx"),
    ]);
  });

  it("leaves rules that reach neither SIP nor RTP alone", async () => {
    expect(await check(firewall("web", { allows: [{ protocol: "tcp", ports: ["443"] }], sourceRanges: ["0.0.0.0/0"] }))).toEqual([]);
    expect(await check(firewall("tcp-rtp", { allows: [{ protocol: "tcp", ports: ["10000-20000"] }], sourceRanges: ["0.0.0.0/0"] }))).toEqual([]);
  });

  it("at preview, judges the known sources and ports and names what waits for the update", async () => {
    const verdict = (resource: ReturnType<typeof firewall>) => resourceVerdict(validateCarrierOnlySipRtp, resource);
    // Known sources outside the carrier's ranges fail at once, whatever else is unknown.
    const open = await verdict(firewall("sip", { allows: [{ protocol: "udp", ports: ["5060"] }], sourceRanges: ["0.0.0.0/0", unknownString], network: unknownString }));
    expect(open.violations).toEqual([expect.stringContaining("sip lets SIP signaling (5060/udp) in from 0.0.0.0/0")]);
    expect(open.deferred).toEqual([expect.stringMatching(/^Deferred to the update: firewall rule sip: it lets SIP signaling \(5060\/udp\) in from sources not known until the update/)]);
    // Known ports that are neither SIP nor RTP: sources not known yet cannot matter.
    expect(await verdict(firewall("web", { allows: [{ protocol: "tcp", ports: ["443"] }], sourceRanges: unknownString }))).toEqual({ violations: [], deferred: [], urns: [] });
    const wide = await verdict(firewall("wide", { allows: [unknownString], sourceRanges: ["203.0.113.0/24"] }));
    expect(wide).toEqual({ violations: [], deferred: [expect.stringContaining("some of its allowed ports are not known until the update")], urns: [] });
  });

  it("allows extra ranges only under a named override", async () => {
    const override = { name: "bandwidth-migration", reason: "second carrier until 2026-01", signalingCidrs: ["203.0.113.0/24"] };
    expect(await check(sip(["203.0.113.0/24"]), { overrides: [override] })).toEqual([]);
    const [violation] = await check(sip(["198.51.100.0/24"]), { overrides: [override] });
    expect(violation).toContain("(carrier twilio, override bandwidth-migration)");
    // The override covers signaling only; RTP from the same block is still refused.
    expect(await check(rtp(["203.0.113.0/24"]), { overrides: [override] })).toHaveLength(1);
  });

  it("follows a configured carrier, SIP port and RTP range", async () => {
    const config = { carrierName: "telnyx", signalingCidrs: ["192.0.2.0/24"], mediaCidrs: ["192.0.2.0/24"], sipPorts: [5070], rtpPortRange: "30000-31000" };
    expect(await check(firewall("sip", { allows: [{ protocol: "udp", ports: ["5070"] }], sourceRanges: ["192.0.2.0/24"] }), config)).toEqual([]);
    expect(await check(sip([...twilioSignalingCidrs]), config)).toEqual([]);
    const [violation] = await check(firewall("sip", { allows: [{ protocol: "udp", ports: ["5070"] }], sourceRanges: [...twilioSignalingCidrs] }), config);
    expect(violation).toContain("(carrier telnyx)");
    expect(await check(rtp(["0.0.0.0/0"], ["30500"]), config)).toHaveLength(1);
  });

  it("refuses a broken config naming every bad key", () => {
    expect(() =>
      carrierRules({ signalingCidrs: ["54.172.60.0/30", "not-a-cidr"], rtpPortRange: "20000-10000", overrides: [{ name: "", reason: "" }] }),
    ).toThrow(/signalingCidrs\[1\] = "not-a-cidr".*\n.*overrides\[0\]: expected a non-empty name and reason.*\n.*rtpPortRange = "20000-10000"/);
    expect(() => carrierRules({ overrides: [{ name: "a", reason: "x" }, { name: "a", reason: "y" }] })).toThrow(/overrides\[1\].name = "a": expected a name no other override uses/);
  });

  it("publishes a config schema whose defaults are the code's defaults", () => {
    for (const [key, value] of Object.entries(carrierPolicyDefaults)) {
      expect(carrierPolicyConfigSchema.properties[key]).toMatchObject({ default: value });
    }
  });
});

describe("CIDR containment", () => {
  it("a block contains exactly the blocks whose masked address matches under its prefix", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (a, pa, b, pb) => {
        const outer = parseAddressBlock(`${a}/${pa}`)!;
        const inner = parseAddressBlock(`${b}/${pb}`)!;
        const toInt = (ip: string) => ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
        const mask = (ip: string, bits: number) => Math.floor(toInt(ip) / 2 ** (32 - bits));
        expect(blockContains(outer, inner)).toBe(pa <= pb && mask(a, pa) === mask(b, pa));
      }),
      { numRuns: 500 },
    );
  });

  it("reads IPv6, never mixes families and rejects what is not a CIDR", () => {
    expect(blockContains(parseAddressBlock("2001:db8::/32")!, parseAddressBlock("2001:db8:1::/48")!)).toBe(true);
    expect(blockContains(parseAddressBlock("2001:db8::/32")!, parseAddressBlock("2001:db9::/48")!)).toBe(false);
    expect(blockContains(parseAddressBlock("::/0")!, parseAddressBlock("0.0.0.0/0")!)).toBe(false);
    expect(blockContains(parseAddressBlock("::ffff:0:0/96")!, parseAddressBlock("::ffff:10.0.0.1")!)).toBe(true);
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "fe80::1%eth0/64", "1.2.3.4/8/9", "::/129", ""]) {
      expect(parseAddressBlock(bad)).toBeUndefined();
    }
  });
});
