import { execFileSync } from "node:child_process";
import { applyChangeCommand, shellQuote, waitForDnsCommand, writeFileCommand } from "../../components/deployment";
import { renderRuntimeFiles } from "../../components/runtime-config";
import { productionRuntimeInput } from "../utils/runtime-input";

describe("deployment commands", () => {
  const files = renderRuntimeFiles(productionRuntimeInput());

  it("restarts only the service that reads a changed file", () => {
    expect(applyChangeCommand(files.livekit)).toMatch(/up --detach --wait --no-deps --force-recreate 'livekit'; fi$/);
    expect(applyChangeCommand(files.sip)).toMatch(/--force-recreate 'sip'; fi$/);
    expect(applyChangeCommand(files.caddy)).toMatch(/exec -T 'caddy' caddy reload --config \/etc\/caddy\/Caddyfile; fi$/);
    expect(applyChangeCommand(files.compose)).toBe("sudo systemctl reload-or-restart 'agent-studio-voice.service'");
  });

  it("writes the file from stdin atomically and never puts its content in the command line", () => {
    const script = writeFileCommand(files.livekit);
    expect(script).not.toContain(productionRuntimeInput().apiSecret);
    expect(script).toContain("sudo mv '/opt/agent-studio-voice/livekit.yaml.new' '/opt/agent-studio-voice/livekit.yaml'");
    expect(script).toContain("sudo chmod 0600 '/opt/agent-studio-voice/livekit.yaml.new'");
  });

  it("quotes any value as a single shell word", () => {
    for (const value of ["a b", "it's", "$(rm -rf /)", "`x`", "a\nb", "'"]) {
      expect(execFileSync("sh", ["-c", `printf %s ${shellQuote(value)}`]).toString()).toBe(value);
    }
  });

  it("waits for DNS with a message telling which record to create", () => {
    const script = waitForDnsCommand(["voice.example.com"], "203.0.113.10", 1);
    expect(script).toContain('create the DNS record "voice.example.com. A 203.0.113.10"');
    // Run it against a name that never resolves: it must give up with that message.
    expect(() => execFileSync("sh", ["-c", waitForDnsCommand(["never.invalid"], "203.0.113.10", 1)], { stdio: "pipe" })).toThrow(
      /never\.invalid does not resolve to 203\.0\.113\.10/,
    );
  });
});
