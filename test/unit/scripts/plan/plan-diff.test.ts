import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { envVariableChanges } from "../../../../scripts/plan/env-file-changes";
import { hostFilesManifestName, type HostFilesManifest } from "../../../../scripts/plan/host-files-manifest";
import { diffPlans, hiddenLinesMarker } from "../../../../scripts/plan/host-file-diff";
import { renderBaseFailed, renderPlanDiff } from "../../../../scripts/plan/plan-diff-markdown";
import { readPlanOutput } from "../../../../scripts/plan/read-plan-output";
import { repoRoot } from "../../../utils/offline-program";

const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");

const stackDir = "/opt/agent-studio-voice";

/** A compose file as the deployment renders it, with the SIP image at `sipTag`. */
function compose(sipTag: string): string {
  return [
    "name: agent-studio-voice",
    "services:",
    "  redis:",
    "    image: redis:7.4.2-alpine",
    "    network_mode: host",
    "  livekit:",
    "    image: livekit/livekit-server:v1.13.5",
    "    network_mode: host",
    "  sip:",
    `    image: livekit/sip:${sipTag}`,
    "    network_mode: host",
    "    stop_grace_period: 2h",
    "  caddy:",
    "    image: caddy:2.10.0",
    "    network_mode: host",
    "",
  ].join("\n");
}

function workerEnv(apiSecret: string): string {
  return ["# Rendered by agent-studio-voice: the agent worker's environment.", "LIVEKIT_API_KEY=APIplan", `LIVEKIT_API_SECRET=${apiSecret}`, "AGENT_NAME=agent", ""].join("\n");
}

const caddyfile = "voice.example.com {\n\treverse_proxy 127.0.0.1:7880\n}\n";

interface Fixture {
  content: string;
  secret: boolean;
}

/** Writes a plan's output directory as `npm run plan` does; without a manifest when `manifest` is false. */
function writePlan(dir: string, files: Record<string, Fixture>, manifest = true): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, { content }] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  if (manifest) {
    const entries: HostFilesManifest = {
      files: Object.entries(files).map(([file, { secret }]) => ({ file, hostPath: `${stackDir}/${file}`, secret })),
    };
    writeFileSync(path.join(dir, hostFilesManifestName), JSON.stringify(entries));
  }
  return dir;
}

const labels = { stack: "prod", base: "base branch (main)", head: "this pull request" };

describe("plan diff", () => {
  let root: string;
  let n = 0;
  const dir = (): string => path.join(root, `plan-${++n}`);
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), "plan-diff-"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const baseSecret = "base-secret-Zq81mW";
  const headSecret = "head-secret-Kx42pR";

  describe("two plans differing in one compose line and one secret", () => {
    let base: string;
    let head: string;
    beforeAll(() => {
      base = writePlan(dir(), {
        "docker-compose.yml": { content: compose("v1.8.0"), secret: false },
        "worker.env": { content: workerEnv(baseSecret), secret: true },
        Caddyfile: { content: caddyfile, secret: false },
      });
      head = writePlan(dir(), {
        "docker-compose.yml": { content: compose("v1.9.0"), secret: false },
        "worker.env": { content: workerEnv(headSecret), secret: true },
        Caddyfile: { content: caddyfile, secret: false },
      });
    });

    it("`npm run plan-diff` shows the compose line in both versions and neither secret", () => {
      const run = spawnSync(tsx, [path.join(repoRoot, "scripts", "plan-diff.ts"), "--stack", "prod", base, head], { cwd: repoRoot, encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("-    image: livekit/sip:v1.8.0\n+    image: livekit/sip:v1.9.0");
      expect(run.stdout).toMatch(/#### `worker\.env`: changed \(holds secrets; content not shown\)[\s\S]*Variables: changed `LIVEKIT_API_SECRET`\./);
      expect(run.stdout).not.toContain(baseSecret);
      expect(run.stdout).not.toContain(headSecret);
    });

    it("lists only the files that differ, with their host paths, in a diff block", () => {
      const report = renderPlanDiff(diffPlans(readPlanOutput(base), readPlanOutput(head)), labels);
      expect(report).toMatch(/^### Host files of `prod`: base branch \(main\) → this pull request\n\n2 changed, 0 added, 0 removed\./);
      expect(report).toContain("#### `docker-compose.yml`: changed\n\nOn the host: `/opt/agent-studio-voice/docker-compose.yml`.\n\n```diff\n@@ -7,7 +7,7 @@\n");
      expect(report).not.toContain("Caddyfile");
      expect(report).not.toContain("image: caddy"); // outside the three lines of context
    });
  });

  it("shows an added or removed plain file whole, and of a secret-bearing one only its variable names, or nothing", () => {
    const base = writePlan(dir(), {
      "redis.conf": { content: "appendonly yes\nsave 60 1\n", secret: false },
      "old-keys.yaml": { content: `keys:\n  APIplan: ${baseSecret}\n`, secret: true },
    });
    const head = writePlan(dir(), {
      Caddyfile: { content: caddyfile, secret: false },
      "sip.env": { content: `SIP_API_SECRET=${headSecret}\n`, secret: true },
    });
    const changes = diffPlans(readPlanOutput(base), readPlanOutput(head));
    expect(changes.map((c) => [c.file, c.status])).toEqual([
      ["Caddyfile", "added"],
      ["old-keys.yaml", "removed"],
      ["redis.conf", "removed"],
      ["sip.env", "added"],
    ]);
    const report = renderPlanDiff(changes, labels);
    expect(report).toContain("0 changed, 2 added, 2 removed.");
    expect(report).toContain("#### `Caddyfile`: added\n\nOn the host: `/opt/agent-studio-voice/Caddyfile`.\n\n```diff\n@@ -0,0 +1,3 @@\n+voice.example.com {\n+\treverse_proxy 127.0.0.1:7880\n+}\n```");
    expect(report).toContain("```diff\n@@ -1,2 +0,0 @@\n-appendonly yes\n-save 60 1\n```");
    expect(report).toContain("#### `sip.env`: added (holds secrets; content not shown)\n\nOn the host: `/opt/agent-studio-voice/sip.env`. Sets `SIP_API_SECRET`.");
    expect(report).toContain("#### `old-keys.yaml`: removed (holds secrets; content not shown)\n\nOn the host: `/opt/agent-studio-voice/old-keys.yaml`.\n");
    expect(report).not.toContain(baseSecret);
    expect(report).not.toContain(headSecret);
    expect(report).not.toContain("APIplan");
  });

  describe("a base plan without a manifest (from before host-files.json)", () => {
    // Before the split, compose carried the secret inline and the whole file was one secret.
    const oldCompose = compose("v1.8.0").replace("    stop_grace_period: 2h\n", `    stop_grace_period: 2h\n    environment:\n      LIVEKIT_API_SECRET: ${baseSecret}\n`);

    it("hides every line only the base has, and shows the head's lines where the head declares the file plain", () => {
      const base = writePlan(dir(), { "docker-compose.yml": { content: oldCompose, secret: false } }, false);
      const head = writePlan(dir(), { "docker-compose.yml": { content: compose("v1.9.0"), secret: false } });
      const report = renderPlanDiff(diffPlans(readPlanOutput(base), readPlanOutput(head)), labels);
      expect(report).toContain(`   sip:\n${hiddenLinesMarker("base", 1)}\n+    image: livekit/sip:v1.9.0\n`);
      expect(report).toContain(`     stop_grace_period: 2h\n${hiddenLinesMarker("base", 2)}\n   caddy:\n`);
      expect(report).toContain("Lines only in the base version are not shown: the base plan (base branch (main)) has no host-files.json, so its files may hold secrets.");
      expect(report).not.toContain("v1.8.0");
      expect(report).not.toContain(baseSecret);
    });

    it("shows nothing of a file the head also says holds secrets", () => {
      const base = writePlan(dir(), { "livekit.yaml": { content: `keys:\n  APIplan: ${baseSecret}\nport: 7880\n`, secret: false } }, false);
      const head = writePlan(dir(), { "livekit.yaml": { content: `keys:\n  APIplan: ${headSecret}\nport: 7880\n`, secret: true } });
      const [change] = diffPlans(readPlanOutput(base), readPlanOutput(head));
      expect(change.body).toEqual({ show: "secret", reasons: { base: "no-manifest", head: "secret" }, variables: undefined });
      const report = renderPlanDiff([change], labels);
      expect(report).toContain("#### `livekit.yaml`: changed (holds secrets; content not shown)");
      expect(report).not.toMatch(/APIplan|port: 7880|secret-/);
    });
  });

  it("hides the head's lines of a file that became secret-bearing, and shows the base's", () => {
    const base = writePlan(dir(), { "sip.yaml": { content: "sip_port: 5060\nlog_level: info\n", secret: false } });
    const head = writePlan(dir(), { "sip.yaml": { content: `sip_port: 5060\napi_secret: ${headSecret}\n`, secret: true } });
    const report = renderPlanDiff(diffPlans(readPlanOutput(base), readPlanOutput(head)), labels);
    expect(report).toContain(` sip_port: 5060\n-log_level: info\n${hiddenLinesMarker("head", 1)}\n`);
    expect(report).toContain("Lines only in the head version are not shown: the head version (this pull request) holds secrets.");
    expect(report).not.toContain(headSecret);
  });

  it("says so when no host file differs", () => {
    const files = { Caddyfile: { content: caddyfile, secret: false }, "worker.env": { content: workerEnv(baseSecret), secret: true } };
    const report = renderPlanDiff(diffPlans(readPlanOutput(writePlan(dir(), files)), readPlanOutput(writePlan(dir(), files))), labels);
    expect(report).toBe("### Host files of `prod`: base branch (main) → this pull request\n\nNo host file differs: the deployment would install the same files.\n");
  });

  it("keeps a report within the comment size by leaving out diffs, never files", () => {
    const big = (tag: string) => Array.from({ length: 400 }, (_, i) => `line ${i} ${tag}`).join("\n");
    const base = writePlan(dir(), { "a.conf": { content: big("old"), secret: false }, "b.conf": { content: big("old"), secret: false } });
    const head = writePlan(dir(), { "a.conf": { content: big("new"), secret: false }, "b.conf": { content: big("new"), secret: false } });
    const changes = diffPlans(readPlanOutput(base), readPlanOutput(head));
    const full = renderPlanDiff(changes, labels);
    const limit = Math.ceil(full.length * 0.75);
    const report = renderPlanDiff(changes, labels, limit);
    expect(report.length).toBeLessThanOrEqual(limit);
    expect(report).toContain("+line 399 new");
    expect(report).toMatch(/#### `b\.conf`: changed\n\nOn the host: `\/opt\/agent-studio-voice\/b\.conf`\.\n\n_Diff left out/);
  });

  it("fences a diff so backticks in a file cannot end the block early", () => {
    const base = writePlan(dir(), { "motd.md": { content: "```\nold\n```\n", secret: false } });
    const head = writePlan(dir(), { "motd.md": { content: "```\nnew\n```\n", secret: false } });
    const report = renderPlanDiff(diffPlans(readPlanOutput(base), readPlanOutput(head)), labels);
    expect(report).toContain("````diff\n@@ -1,3 +1,3 @@\n ```\n-old\n+new\n ```\n````");
  });

  it("says what happened when the base branch could not be planned", () => {
    expect(renderBaseFailed(labels)).toMatch(/^### Host files of `prod`: .*\n\nThe offline plan of the base branch \(main\) failed, so there is nothing to compare/);
  });

  it("names the directory and the command that writes it when a plan output is missing or inconsistent", () => {
    expect(() => readPlanOutput(path.join(root, "nothing"))).toThrow(/nothing is not a plan's output directory: write one with `npm run plan -- --stack <stack> --out .*nothing`/);
    const broken = writePlan(dir(), { Caddyfile: { content: caddyfile, secret: false } });
    rmSync(path.join(broken, "Caddyfile"));
    expect(() => readPlanOutput(broken)).toThrow(/host-files\.json lists Caddyfile, which is not in .*: write the plan again/);
    writeFileSync(path.join(broken, hostFilesManifestName), JSON.stringify({ files: [{ file: "Caddyfile", secret: "no" }] }));
    expect(() => readPlanOutput(broken)).toThrow(/is not a host files manifest \(files\.0\.hostPath: .*; files\.0\.secret: /);
    writeFileSync(path.join(broken, hostFilesManifestName), JSON.stringify({ files: [{ file: "../Caddyfile", hostPath: "/x", secret: false }] }));
    expect(() => readPlanOutput(broken)).toThrow(/lists "\.\.\/Caddyfile", which is not a plain file name/);
  });

  it("prints its usage and exits 2 when given one directory", () => {
    const run = spawnSync(tsx, [path.join(repoRoot, "scripts", "plan-diff.ts"), root], { cwd: repoRoot, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^usage: npm run plan-diff -- .*<base-dir> <head-dir>/);
  });
});

describe("envVariableChanges", () => {
  it("names changed, added and removed variables and whether comments changed", () => {
    expect(envVariableChanges("# a\nA=1\nB=2\nC=3\n", "# b\nA=1\nB=9\nD=4\n")).toEqual({ changed: ["B"], added: ["D"], removed: ["C"], commentsChanged: true });
  });

  it("says nothing about a file with a line that is not NAME=value", () => {
    expect(envVariableChanges("A=1\n", "A=2\nexport B=3\n")).toBeUndefined();
    expect(envVariableChanges("keys:\n  k: v\n", undefined)).toBeUndefined();
  });
});
