import { execFileSync } from "node:child_process";
import { applyChangeCommand, configureRegistryCommand, shellQuote, waitForDnsCommand, writeFileCommand } from "../../components/deployment";
import { renderRuntimeFiles, renderWorkerEnv } from "../../components/runtime-config";
import { productionRuntimeInput } from "../utils/runtime-input";

describe("deployment commands", () => {
  const files = renderRuntimeFiles(productionRuntimeInput());

  it("restarts only the service that reads a changed file", () => {
    expect(applyChangeCommand(files.livekit)).toMatch(/up --detach --wait --no-deps --force-recreate 'livekit'; fi$/);
    expect(applyChangeCommand(files.sip)).toMatch(/--force-recreate 'sip'; fi$/);
    expect(applyChangeCommand(files.caddy)).toMatch(/exec -T 'caddy' caddy reload --config \/etc\/caddy\/Caddyfile; fi$/);
    expect(applyChangeCommand(files.compose)).toBe("sudo systemctl reload-or-restart 'agent-studio-voice.service'");
  });

  it("recreates only the worker when its env file changed, without touching the services it depends on", () => {
    const env = renderWorkerEnv({ apiKey: "APItestkey", apiSecret: productionRuntimeInput().apiSecret, sipOutboundTrunkId: "ST_abc", agentName: "agent" });
    expect(applyChangeCommand(env)).toBe(
      "sudo docker compose --project-name 'agent-studio-voice' --project-directory '/opt/agent-studio-voice' --profile 'worker' up --detach --wait --no-deps --force-recreate 'worker'",
    );
    const script = writeFileCommand(env);
    expect(script).not.toContain(productionRuntimeInput().apiSecret);
    expect(script).toContain("sudo chmod 0600 '/opt/agent-studio-voice/worker.env.new'");
  });

  it("lets root's docker pull from the registry host, failing with what to check", () => {
    const script = configureRegistryCommand("us-central1-docker.pkg.dev");
    expect(script).toMatch(/^if ! sudo gcloud auth configure-docker 'us-central1-docker\.pkg\.dev' --quiet; then$/m);
    expect(() => execFileSync("/bin/sh", ["-c", script], { stdio: "pipe", env: { PATH: "/nonexistent" } })).toThrow(
      /could not let docker pull from us-central1-docker\.pkg\.dev/,
    );
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
