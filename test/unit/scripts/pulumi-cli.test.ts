import { PulumiCliError, pulumiCli } from "../../../scripts/pulumi-cli";
import { type FakePulumi, installFakePulumi } from "../../utils/fake-pulumi";

describe("the Pulumi CLI seam", () => {
  let fake: FakePulumi;
  beforeEach(() => {
    fake = installFakePulumi({
      "stack output": { stdout: '{"staticIp":"203.0.113.10"}\n' },
      "config set": {},
      up: { stderr: "error: update failed: resource voice-twilio-credential\n", exitCode: 255 },
    });
  });
  afterEach(() => fake.remove());

  it("runs pulumi with the arguments as given, no shell, and resolves with its stdout", async () => {
    const cli = pulumiCli({ env: fake.env });
    const stdout = await cli(["stack", "output", "--json", "--stack", "prod; rm -rf /"]);
    expect(stdout).toBe('{"staticIp":"203.0.113.10"}\n');
    expect(fake.calls()).toEqual([{ args: ["stack", "output", "--json", "--stack", "prod; rm -rf /"], stdin: "" }]);
  });

  it("hands a secret to the CLI on stdin, never in its arguments", async () => {
    const cli = pulumiCli({ env: fake.env });
    await cli(["config", "set", "--secret", "agent-studio-voice:sipPassword", "--stack", "prod"], { stdin: "Sup3r-Secret-Value" });
    const [call] = fake.calls();
    expect(call.stdin).toBe("Sup3r-Secret-Value");
    expect(call.args.join(" ")).not.toContain("Sup3r-Secret-Value");
  });

  it("rejects with the command, exit code and what the CLI said when it fails", async () => {
    const cli = pulumiCli({ env: fake.env });
    const failure = cli(["up", "--stack", "prod", "--yes"]);
    await expect(failure).rejects.toBeInstanceOf(PulumiCliError);
    await expect(failure).rejects.toMatchObject({
      exitCode: 255,
      args: ["up", "--stack", "prod", "--yes"],
      message: expect.stringMatching(/^`pulumi up --stack prod --yes` exited with code 255:\nerror: update failed: resource voice-twilio-credential$/),
    });
  });

  it("says how to install the CLI when there is none on PATH", async () => {
    const cli = pulumiCli({ env: { ...process.env, PATH: "/nonexistent" } });
    await expect(cli(["version"])).rejects.toMatchObject({
      exitCode: undefined,
      message: expect.stringMatching(/Pulumi CLI is not installed or not on PATH.*pulumi\.com\/docs\/install/),
    });
  });

  it("refuses to combine an interactive run with stdin, before running anything", async () => {
    const cli = pulumiCli({ env: fake.env });
    await expect(cli(["up"], { interactive: true, stdin: "x" })).rejects.toThrow(/cannot be combined/);
    expect(fake.calls()).toEqual([]);
  });
});
