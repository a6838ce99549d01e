import { internalOnlyPorts, validateNoPublicInternalPorts } from "../../policy/no-public-internal-ports";
import { firewall, resourceViolations, unknownString } from "../utils/policy-args";

const check = (props: Record<string, any>) => resourceViolations(validateNoPublicInternalPorts, firewall("fw", props));

describe("policy no-public-internal-ports", () => {
  it.each([...internalOnlyPorts.keys()])("flags port %i open to 0.0.0.0/0", async (port) => {
    const violations = await check({ allows: [{ protocol: "tcp", ports: [String(port)] }], sourceRanges: ["0.0.0.0/0"] });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(`fw opens ${port}/tcp (${internalOnlyPorts.get(port)}) to 0.0.0.0/0`);
  });

  it("tells how to fix SSH: admin CIDRs", async () => {
    const [violation] = await check({ allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["0.0.0.0/0"] });
    expect(violation).toMatch(/agent-studio-voice:adminCidrs/);
  });

  it("flags ::/0, port ranges, protocol numbers, all-port rules and rules with no source at all", async () => {
    expect(await check({ allows: [{ protocol: "tcp", ports: ["6379"] }], sourceRanges: ["::/0"] })).toHaveLength(1);
    expect(await check({ allows: [{ protocol: "tcp", ports: ["7000-8000"] }], sourceRanges: ["0.0.0.0/0"] })).toEqual([
      expect.stringContaining("opens 7880/tcp (the LiveKit API)"),
    ]);
    expect((await check({ allows: [{ protocol: "6", ports: ["22"] }], sourceRanges: ["0.0.0.0/0"] }))[0]).toContain("22/tcp");
    expect(await check({ allows: [{ protocol: "all" }], sourceRanges: ["0.0.0.0/0"] })).toHaveLength(internalOnlyPorts.size);
    // GCE admits 0.0.0.0/0 when an ingress rule names no source.
    expect(await check({ allows: [{ protocol: "tcp", ports: ["22"] }] })).toHaveLength(1);
  });

  it("counts an unreadable port as every port", async () => {
    expect(await check({ allows: [{ protocol: "tcp", ports: ["twenty-two"] }], sourceRanges: ["0.0.0.0/0"] })).toHaveLength(internalOnlyPorts.size);
  });

  it("passes public web ports, internal ports from admin CIDRs, tag sources, egress and ICMP", async () => {
    expect(await check({ allows: [{ protocol: "tcp", ports: ["443", "80", "7881"] }], sourceRanges: ["0.0.0.0/0"] })).toEqual([]);
    expect(await check({ allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["198.51.100.0/24"] })).toEqual([]);
    expect(await check({ allows: [{ protocol: "tcp", ports: ["6379"] }], sourceTags: ["app"] })).toEqual([]);
    expect(await check({ direction: "EGRESS", allows: [{ protocol: "tcp", ports: ["22"] }], destinationRanges: ["0.0.0.0/0"] })).toEqual([]);
    expect(await check({ allows: [{ protocol: "icmp" }], sourceRanges: ["0.0.0.0/0"] })).toEqual([]);
  });

  it("ignores other resource types", async () => {
    const violations = await resourceViolations(validateNoPublicInternalPorts, {
      type: "gcp:compute/address:Address",
      name: "ip",
      props: { allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["0.0.0.0/0"] },
    });
    expect(violations).toEqual([]);
  });

  it("cannot decide on sources unknown during preview, and says so through the engine", async () => {
    await expect(check({ allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: unknownString })).rejects.toThrow(/can't be known during preview/);
  });
});
