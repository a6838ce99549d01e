import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { runtimeFilePaths, workerEnvPath } from "../../../../components/runtime-config";
import { alertRules } from "../../../../components/observability";
import { dashboardFileName } from "../../../../scripts/plan/alerts";
import { hostFilesManifestName, type HostFilesManifest } from "../../../../scripts/plan/host-files-manifest";
import type { RecordedResource } from "../../../../scripts/plan/mock-monitor";
import { readPlanOutput } from "../../../../scripts/plan/read-plan-output";
import { readStackFile } from "../../../../scripts/plan/stack-file";
import { writeDeployedFiles } from "../../../../scripts/plan/write-files";
import { repoRoot } from "../../../utils/offline-program";

const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");

function plan(...args: string[]) {
  return spawnSync(tsx, [path.join(repoRoot, "scripts", "plan.ts"), ...args], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
}

/** A deployment step installing `hostPath` from stdin, as components/deployment renders it. */
function installStep(hostPath: string, secretStdin: boolean): RecordedResource {
  return {
    type: "command:remote:Command",
    name: `deploy-${path.basename(hostPath)}`,
    inputs: { stdin: `content of ${hostPath}\n`, create: `cat > '${hostPath}.new'\nsudo mv '${hostPath}.new' '${hostPath}'` },
    secretInputs: secretStdin ? ["stdin"] : [],
    id: "id",
    custom: true,
  };
}

describe("writeDeployedFiles", () => {
  const hostPaths = [...Object.values(runtimeFilePaths), workerEnvPath];
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(path.join(tmpdir(), "write-files-"));
  });
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  it("takes a file's secret-ness from its step's secret stdin, not from its name", () => {
    const secretPaths = new Set([runtimeFilePaths.compose]);
    const written = writeDeployedFiles(hostPaths.map((p) => installStep(p, secretPaths.has(p))), outDir);
    expect(written.filter((f) => f.secret).map((f) => path.basename(f.path))).toEqual(["docker-compose.yml"]);
    const manifest = JSON.parse(readFileSync(path.join(outDir, hostFilesManifestName), "utf8")) as HostFilesManifest;
    expect(manifest.files.find((f) => f.file === "worker.env")).toEqual({ file: "worker.env", hostPath: workerEnvPath, secret: false });
    expect(manifest.files.find((f) => f.file === "docker-compose.yml")?.secret).toBe(true);
    expect(readFileSync(path.join(outDir, "worker.env"), "utf8")).toBe(`content of ${workerEnvPath}\n`);
  });

  it("refuses two files that would get the same name in the output directory", () => {
    const steps = [...hostPaths, "/etc/caddy/Caddyfile"].map((p) => installStep(p, false));
    expect(() => writeDeployedFiles(steps, outDir)).toThrow(/cannot write \/etc\/caddy\/Caddyfile to .*: its name Caddyfile is also that of \/opt\/.*\/Caddyfile/);
    expect(() => writeDeployedFiles([...hostPaths, `/etc/${hostFilesManifestName}`].map((p) => installStep(p, false)), outDir)).toThrow(
      /its name host-files\.json is also that of the plan's own manifest/,
    );
  });
});

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
    // The Ops Agent's config and the on-call dashboard.
    expect(parse(readFileSync(path.join(outDir, "config.yaml"), "utf8")).metrics.receivers.voice_prometheus.type).toBe("prometheus");
    expect(JSON.parse(readFileSync(path.join(outDir, dashboardFileName), "utf8")).displayName).toBe("agent-studio-voice prod: on call");
  }, 120_000);

  it("lists every alert with its threshold and the channels it notifies", () => {
    const mockChannel = "projects/agent-studio-voice-prod/notificationChannels/105b02ebd77b";
    const run = plan("--stack", "prod", "--out", outDir);
    const alerts = run.stdout.split("\nAlerts (threshold → notification channels):\n")[1]?.split("\n\n")[0]?.split("\n") ?? [];
    expect(alerts).toHaveLength(alertRules().length);
    for (const rule of alertRules()) {
      expect(alerts).toContain(`  agent-studio-voice prod: ${rule.title}: ${rule.threshold} → ${mockChannel}`);
    }
  }, 120_000);

  it("records beside the files which of them hold secrets, and marks every file holding a secret value", () => {
    const manifest = JSON.parse(readFileSync(path.join(outDir, hostFilesManifestName), "utf8")) as HostFilesManifest;
    const listed = manifest.files.map((f) => f.file);
    expect(listed).toEqual([...listed].sort());
    // Every file but the manifest and the dashboard's JSON (a Cloud Monitoring resource, not a host file).
    expect(new Set(listed)).toEqual(new Set(readdirSync(outDir).filter((f) => f !== hostFilesManifestName && f !== dashboardFileName)));
    expect(manifest.files).toContainEqual({ file: "worker.env", hostPath: workerEnvPath, secret: true });
    const raw = readStackFile(path.join(repoRoot, "Pulumi.prod.yaml"));
    const secretValues = [...raw.secretKeys].map((key) => raw.values[key]);
    for (const { file, secret } of manifest.files) {
      const content = readFileSync(path.join(outDir, file), "utf8");
      if (secretValues.some((value) => content.includes(value))) expect({ file, secret }).toEqual({ file, secret: true });
    }
  });

  it("writes each node's files to node-<i>/ for a stack of several nodes, which plan-diff reads node by node", () => {
    const multiDir = mkdtempSync(path.join(tmpdir(), "plan-multi-"));
    try {
      const run = plan("--stack", "prod-multi", "--out", multiDir);
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/voice-host-1-vm \(gcp:compute\/instance:Instance\) {2}n2-standard-4 in us-central1-b/);
      expect(run.stdout).toContain("2 nodes: node-0, node-1");
      expect(readdirSync(multiDir).sort()).toEqual([dashboardFileName, "node-0", "node-1"].sort());
      for (const node of ["node-0", "node-1"]) {
        expect(existsSync(path.join(multiDir, node, "redis.conf"))).toBe(false);
        const manifest = JSON.parse(readFileSync(path.join(multiDir, node, hostFilesManifestName), "utf8")) as HostFilesManifest;
        expect(manifest.files.find((f) => f.file === "sip.yaml")?.secret).toBe(true);
      }
      expect(parse(readFileSync(path.join(multiDir, "node-1", "sip.yaml"), "utf8"))).toMatchObject({ nat_1_to_1_ip: "203.0.113.11" });
      expect([...readPlanOutput(multiDir).files.keys()]).toEqual(expect.arrayContaining(["node-0/docker-compose.yml", "node-1/Caddyfile"]));
    } finally {
      rmSync(multiDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("names the missing stack file and how to create it", () => {
    const run = plan("--stack", "nosuchstack", "--out", outDir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/No stack file Pulumi\.nosuchstack\.yaml: create it with `pulumi stack init nosuchstack`/);
  }, 120_000);
});
