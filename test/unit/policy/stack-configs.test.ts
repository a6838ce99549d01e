import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type RawConfig, validateStackConfig } from "../../../components/config";
import { firewallInputFrom, firewallRules } from "../../../components/network";
import { validateCarrierOnlySipRtp } from "../../../policy/carrier-only-sip-rtp";
import { committedStacks, repoRoot, stackConfig } from "../../utils/offline-program";
import { firewall, resourceViolations } from "../../utils/policy-args";

// carrier-only-sip-rtp finds SIP and RTP rules by the ports its pack config names, which default to
// 5060 and 10000-20000. A stack on other ports whose pack config still says so would pass the
// policy unseen; this keeps every committed stack and its policy/config.<stack>.json in step.

/** A source no carrier range or override holds (RFC 2544's benchmarking block). */
const foreignSource = "198.18.0.0/15";

/** What the policy fails to do for a stack's firewall under a pack config: pass its rules, or see its SIP and RTP. */
async function policyBlindSpots(raw: RawConfig, packConfig: object): Promise<string[]> {
  const result = validateStackConfig(raw, "policy-check");
  if (!result.ok) throw new Error(`the stack config is invalid: ${JSON.stringify(result.problems)}`);
  const rules = firewallRules(firewallInputFrom(result.config));
  const found: string[] = [];
  for (const rule of rules) {
    const violations = await resourceViolations(validateCarrierOnlySipRtp, firewall(rule.role, rule), packConfig);
    found.push(...violations.map((v) => `the stack's own rule is refused: ${v}`));
  }
  for (const role of [result.config.secureTrunking ? "sip-tls" : "sip-signaling", "rtp-media"]) {
    const rule = rules.find((r) => r.role === role)!;
    const widened = firewall(role, { ...rule, sourceRanges: [...rule.sourceRanges, foreignSource] });
    if ((await resourceViolations(validateCarrierOnlySipRtp, widened, packConfig)).length === 0) {
      found.push(`${role} from ${foreignSource} passes: the pack config's sipPorts/rtpPortRange are not the stack's sipPort/rtpPortStart-rtpPortEnd`);
    }
  }
  return found;
}

/** The carrier-only-sip-rtp section of policy/config.<stack>.json, or the defaults. */
function packConfigOf(stack: string): object {
  const file = join(repoRoot, "policy", `config.${stack}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8"))["carrier-only-sip-rtp"] ?? {}) : {};
}

describe("the carrier policy's config for each committed stack", () => {
  it.each(committedStacks())("passes stack %s's SIP and RTP rules and sees them widened", async (stack) => {
    expect(await policyBlindSpots(stackConfig(stack), packConfigOf(stack))).toEqual([]);
  });

  it("catches a stack that moved its SIP port and RTP range while the pack config kept the defaults", async () => {
    const moved = stackConfig("prod", { "agent-studio-voice:secureTrunking": "false", "agent-studio-voice:sipPort": "5080", "agent-studio-voice:rtpPortStart": "30000", "agent-studio-voice:rtpPortEnd": "31000" });
    expect(await policyBlindSpots(moved, {})).toEqual([
      expect.stringContaining("sip-signaling from 198.18.0.0/15 passes"),
      expect.stringContaining("rtp-media from 198.18.0.0/15 passes"),
    ]);
    expect(await policyBlindSpots(moved, { sipPorts: [5080], rtpPortRange: "30000-31000" })).toEqual([]);
  });
});
