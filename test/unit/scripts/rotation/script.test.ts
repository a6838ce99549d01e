import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { sipPasswordShortfalls } from "../../../../providers/twilio/rules";
import { type FakePulumi, type FakePulumiReply, installFakePulumi } from "../../../utils/fake-pulumi";
import { repoRoot } from "../../../utils/offline-program";

const credentialUrn =
  "urn:pulumi:prod::agent-studio-voice::agent-studio:twilio:TwilioSipTrunk$pulumi-nodejs:dynamic/twilio:Credential::voice-twilio-credential";
const trunkUrn =
  "urn:pulumi:prod::agent-studio-voice::agent-studio:livekit:LiveKitSipTrunks$pulumi-nodejs:dynamic/livekit:SipOutboundTrunk::voice-trunks-outbound-trunk";

/** `pulumi stack export` of a deployed stack; an earlier replacement left a credential pending deletion. */
const deployedExport = JSON.stringify({
  version: 3,
  deployment: {
    resources: [
      { urn: "urn:pulumi:prod::agent-studio-voice::pulumi:pulumi:Stack::agent-studio-voice-prod", type: "pulumi:pulumi:Stack" },
      { urn: credentialUrn, type: "pulumi-nodejs:dynamic/twilio:Credential" },
      { urn: credentialUrn, type: "pulumi-nodejs:dynamic/twilio:Credential", delete: true },
      { urn: trunkUrn, type: "pulumi-nodejs:dynamic/livekit:SipOutboundTrunk" },
      { urn: "urn:pulumi:prod::agent-studio-voice::gcp:compute/instance:Instance::voice-host-vm", type: "gcp:compute/instance:Instance" },
    ],
  },
});

function deployedStack(overrides: Record<string, FakePulumiReply> = {}): Record<string, FakePulumiReply> {
  return {
    "config get agent-studio-voice:sipUsername": { stdout: "livekit-prod-a\n" },
    "stack export": { stdout: deployedExport },
    "config set": {},
    up: { stdout: "Resources: 1 created, 1 updated, 1 deleted\n" },
    ...overrides,
  };
}

/** Runs `npm run rotate-sip-credentials -- <args>` as the operator would, with the fake CLI on PATH. */
function rotate(fake: FakePulumi, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "scripts", "rotate-sip-credentials.ts"), ...args], {
    cwd: repoRoot,
    env: fake.env,
    input: "",
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("npm run rotate-sip-credentials (against a fake pulumi on PATH)", () => {
  let fake: FakePulumi;
  afterEach(() => fake.remove());

  it("stores a new username and a Twilio-valid password (via stdin only), then applies just the credential and the outbound trunk", () => {
    fake = installFakePulumi(deployedStack());
    const { status, output } = rotate(fake, ["--stack", "prod", "--yes"]);
    expect(status).toBe(0);

    const calls = fake.calls();
    expect(calls.map((c) => c.args)).toEqual([
      ["config", "get", "agent-studio-voice:sipUsername", "--stack", "prod"],
      ["stack", "export", "--stack", "prod"],
      ["config", "set", "agent-studio-voice:sipUsername", "livekit-prod-b", "--stack", "prod"],
      ["config", "set", "--secret", "agent-studio-voice:sipPassword", "--stack", "prod"],
      ["up", "--stack", "prod", "--diff", "--target", credentialUrn, "--target", trunkUrn, "--yes"],
    ]);
    const password = calls[3].stdin;
    expect(password).toHaveLength(32);
    expect(sipPasswordShortfalls(password)).toEqual([]);
    for (const call of calls) expect(call.args.join(" ")).not.toContain(password);
    expect(calls.filter((c) => c.stdin !== "").map((c) => c.args[1])).toEqual(["set"]);
    expect(output).not.toContain(password);
    expect(output).toMatch(/livekit-prod-a → livekit-prod-b/);
  }, 120_000);

  it("generates a different password on every run", () => {
    fake = installFakePulumi(deployedStack());
    rotate(fake, ["--stack", "prod", "--yes"]);
    rotate(fake, ["--stack", "prod", "--yes"]);
    const passwords = fake.calls().filter((c) => c.args.includes("--secret")).map((c) => c.stdin);
    expect(passwords).toHaveLength(2);
    expect(passwords[0]).not.toBe(passwords[1]);
  }, 120_000);

  it("leaves pulumi up's confirmation prompt to the operator without --yes", () => {
    fake = installFakePulumi(deployedStack());
    expect(rotate(fake, ["--stack", "prod"]).status).toBe(0);
    const up = fake.calls().find((c) => c.args[0] === "up");
    expect(up?.args).not.toContain("--yes");
  }, 120_000);

  it("changes nothing on a stack whose trunk was never deployed, and says to run pulumi up first", () => {
    fake = installFakePulumi(deployedStack({ "stack export": { stdout: JSON.stringify({ version: 3, deployment: { resources: [] } }) } }));
    const { status, output } = rotate(fake, ["--stack", "prod", "--yes"]);
    expect(status).toBe(1);
    expect(output).toMatch(/no Twilio SIP credential .* Run `pulumi up --stack prod` first/);
    expect(fake.calls().filter((c) => c.args[1] === "set")).toEqual([]);
  }, 120_000);

  it("on a failed pulumi up, exits non-zero with the CLI's error and the way forward, never the password", () => {
    fake = installFakePulumi(deployedStack({ up: { stderr: "error: 1 resource failed: voice-trunks-outbound-trunk: 503\n", exitCode: 255 } }));
    const { status, output } = rotate(fake, ["--stack", "prod", "--yes"]);
    expect(status).toBe(1);
    // pulumi up talks to the terminal directly, so its own error is shown as it happens.
    expect(output).toMatch(/error: 1 resource failed: voice-trunks-outbound-trunk: 503\n`pulumi up --stack prod .*` exited with code 255/);
    expect(output).toMatch(/Finish with `pulumi up --stack prod`, or roll back as docs\/runbooks\/rotate-sip-credentials\.md says/);
    const password = fake.calls().find((c) => c.args.includes("--secret"))!.stdin;
    expect(output).not.toContain(password);
  }, 120_000);

  it("prints its usage and calls nothing without --stack", () => {
    fake = installFakePulumi(deployedStack());
    const { status, output } = rotate(fake, []);
    expect(status).toBe(2);
    expect(output).toMatch(/usage: npm run rotate-sip-credentials -- --stack <name> \[--yes\]/);
    expect(fake.calls()).toEqual([]);
  }, 120_000);
});
