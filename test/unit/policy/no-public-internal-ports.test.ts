import { internalOnlyPorts, validateNoPublicInternalPorts } from "../../../policy/no-public-internal-ports";
import { firewall, resourceVerdict, resourceViolations, unknownString } from "../../utils/policy-args";

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
      expect.stringContaining("opens 7890/tcp (Caddy's load balancer backend"),
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

  it("at preview, judges the known sources and ports and names what waits for the update", async () => {
    const verdict = (props: Record<string, any>) => resourceVerdict(validateNoPublicInternalPorts, firewall("fw", props));
    // Unknown sources: SIP opened to them decides nothing here; SSH opened to them waits for the update.
    expect(await verdict({ allows: [{ protocol: "udp", ports: ["5060"] }], sourceRanges: unknownString })).toEqual({ violations: [], deferred: [], urns: [] });
    expect((await verdict({ allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: [unknownString] })).deferred).toEqual([
      expect.stringMatching(/^Deferred to the update: firewall rule fw opens 22\/tcp \(SSH\) to sources not known until the update/),
    ]);
    // The whole internet, known: Redis fails at once, whatever else is unknown; unknown ports wait.
    const redis = await verdict({ allows: [{ protocol: "tcp", ports: ["6379"] }, unknownString], sourceRanges: ["0.0.0.0/0"], network: unknownString });
    expect(redis.violations).toEqual([expect.stringContaining("fw opens 6379/tcp (Redis) to 0.0.0.0/0")]);
    expect(redis.deferred).toEqual([expect.stringContaining("admits 0.0.0.0/0 on ports not known until the update")]);
    // Known sources that are not the internet: unknown ports cannot expose anything.
    expect(await verdict({ allows: unknownString, sourceRanges: ["198.51.100.0/24"] })).toEqual({ violations: [], deferred: [], urns: [] });
  });
});
