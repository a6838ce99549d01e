import { securityPolicies } from "../../../policy/policies";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { runProgram, stackConfig } from "../../utils/offline-program";
import { policyVerdict } from "../../utils/policy-args";
import { afterUpdate } from "../../utils/preview-shape";

/** Every violation the pack reports for a program run at the update: per resource, then over the stack with its outputs. */
async function packViolations(run: OfflineRun, config: Record<string, object> = {}): Promise<string[]> {
  const resources = afterUpdate(run);
  const found: string[] = [];
  for (const policy of securityPolicies) {
    found.push(...(await policyVerdict(policy, resources, config[policy.name])).violations.map((v) => `${policy.name}: ${v}`));
  }
  return found;
}

describe("the policy pack", () => {
  it("has uniquely named policies, each with its validation exported", () => {
    const names = securityPolicies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(
      [
        "carrier-only-sip-rtp",
        "distinct-dynamic-types",
        "load-balancer-only-backend",
        "no-clear-secrets",
        "no-public-internal-ports",
        "no-secret-stack-outputs",
        "pinned-images",
        "secure-trunking-no-clear-sip",
        "shielded-least-privilege-vm",
      ].sort(),
    );
    for (const policy of securityPolicies) expect(policy.enforcementLevel).toBe("mandatory");
  });
});

describe("the program with Pulumi.prod.yaml under the policy pack", () => {
  let run: OfflineRun;
  beforeAll(async () => (run = await runProgram(stackConfig("prod"))), 60_000);

  it("feeds the pack the resources that carry what the policies guard", () => {
    const types = new Set(run.monitor.resources.map((r) => r.type));
    for (const type of ["gcp:compute/firewall:Firewall", "gcp:compute/instance:Instance", "command:remote:Command"]) {
      expect(types).toContain(type);
    }
    expect(Object.keys(run.outputs).length).toBeGreaterThan(0);
    // The Twilio and LiveKit dynamic resources, each under its own type token.
    const dynamic = [...types].filter((t) => t.startsWith("pulumi-nodejs:dynamic"));
    expect(dynamic).toEqual(expect.arrayContaining(["pulumi-nodejs:dynamic/twilio:Trunk", "pulumi-nodejs:dynamic/livekit:SipOutboundTrunk"]));
    expect(dynamic).not.toContain("pulumi-nodejs:dynamic:Resource");
  });

  it("passes every policy", async () => {
    expect(await packViolations(run)).toEqual([]);
  });

  it("stops a stack admitting SIP from beyond the carrier's ranges, unless a named override allows it", async () => {
    const widened = await runProgram(stackConfig("prod", { "agent-studio-voice:carrierSignalingCidrs": '["54.172.60.0/30", "203.0.113.0/24"]' }));
    expect(await packViolations(widened)).toEqual([
      expect.stringMatching(/^carrier-only-sip-rtp: Firewall rule voice-net-sip-tls lets SIP signaling \(5061\/tcp\) in from 203\.0\.113\.0\/24, outside/),
    ]);
    const override = { overrides: [{ name: "lab-pbx", reason: "interop tests", signalingCidrs: ["203.0.113.0/24"] }] };
    expect(await packViolations(widened, { "carrier-only-sip-rtp": override })).toEqual([]);
  }, 60_000);

  it("passes the two-node example stack, whose load balancer backend rule admits Google's load balancer ranges only", async () => {
    const multi = await runProgram(stackConfig("prod-multi"), "prod-multi");
    expect(multi.monitor.byName("voice-net-lb-backend").inputs.sourceRanges).toEqual(["35.191.0.0/16", "130.211.0.0/22"]);
    expect(await packViolations(multi)).toEqual([]);
  }, 60_000);

  it("passes a stack with secure trunking off, whose Twilio trunk is not secure", async () => {
    expect(await packViolations(await runProgram(stackConfig("prod", { "agent-studio-voice:secureTrunking": "false" })))).toEqual([]);
  }, 60_000);
});
