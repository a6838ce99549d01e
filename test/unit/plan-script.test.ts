import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../utils/offline-program";

const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");

function plan(...args: string[]) {
  return spawnSync(tsx, [path.join(repoRoot, "scripts", "plan.ts"), ...args], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
}

describe("npm run plan", () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(path.join(tmpdir(), "plan-"));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("prints the prod stack's resources with their key properties and writes every deployed file", () => {
    const run = plan("--stack", "prod", "--out", outDir);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/voice-net-ssh-admin \(gcp:compute\/firewall:Firewall\) {2}tcp:22 from 198\.51\.100\.0\/24/);
    expect(run.stdout).toMatch(/voice-host-vm \(gcp:compute\/instance:Instance\) {2}n2-standard-4 in us-central1-a/);
    expect(run.stdout).toMatch(/livekit: livekit\/livekit-server:v\d+\.\d+\.\d+/);
    expect(run.stdout).toMatch(/Secrets replaced by placeholders .*agent-studio-voice:sipPassword/);
    for (const file of ["livekit.yaml", "sip.yaml", "docker-compose.yml", "redis.conf", "Caddyfile", "agent-studio-voice.service", "worker.env"]) {
      expect(existsSync(path.join(outDir, file))).toBe(true);
    }
    expect(parse(readFileSync(path.join(outDir, "sip.yaml"), "utf8"))).toMatchObject({ sip_port: 5060, nat_1_to_1_ip: "203.0.113.10" });
  }, 120_000);

  it("names the missing stack file and how to create it", () => {
    const run = plan("--stack", "nosuchstack", "--out", outDir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/No stack file Pulumi\.nosuchstack\.yaml: create it with `pulumi stack init nosuchstack`/);
  }, 120_000);
});
