import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { aptPackages } from "../harness/binaries";
import { ensureActionlint, shellcheckPath } from "../utils/actionlint";
import { committedStacks as listCommittedStacks, repoRoot } from "../utils/offline-program";

const workflowDir = join(repoRoot, ".github", "workflows");

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Job {
  uses?: string;
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  strategy?: { "max-parallel"?: number; "fail-fast"?: boolean; matrix: { stack: string[] } };
  steps?: Step[];
}

interface Workflow {
  on: Record<string, { branches?: string[] } | null>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

function workflow(file: string): Workflow {
  return parse(readFileSync(join(workflowDir, file), "utf8")) as Workflow;
}

function pulumiStep(job: Job): Step {
  const steps = (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@"));
  expect(steps).toHaveLength(1);
  return steps[0];
}

/** Runs actionlint (with shellcheck on `run:` scripts) in `dir`; returns its findings. */
function actionlint(dir: string, files: string[]): { message: string; kind: string; filepath: string }[] {
  const result = spawnSync(ensureActionlint(), ["-format", "{{json .}}", "-shellcheck", shellcheckPath, "-pyflakes=", ...files], {
    cwd: dir,
    encoding: "utf8",
  });
  if (result.status !== 0 && result.status !== 1) throw new Error(`actionlint failed to run: ${result.stderr}`);
  return JSON.parse(result.stdout || "[]");
}

const committedStacks = listCommittedStacks();

describe("actionlint", () => {
  beforeAll(() => {
    ensureActionlint();
  }, 600_000);

  it("finds no problem in the shipped workflows", () => {
    const files = readdirSync(workflowDir).map((f) => join(".github", "workflows", f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(actionlint(repoRoot, files)).toEqual([]);
  });

  it("rejects a workflow with a misspelt pulumi/actions input and an unquoted shell expansion", () => {
    const dir = mkdtempSync(join(tmpdir(), "workflows-"));
    try {
      mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
      const broken = readFileSync(join(workflowDir, "deploy.yml"), "utf8")
        .replace("policyPacks: policy", "policy-packs: policy")
        .replace("- run: npm ci --no-audit --no-fund", "- run: cd $HOME/x && npm ci");
      writeFileSync(join(dir, ".github", "workflows", "deploy.yml"), broken);
      writeFileSync(join(dir, ".github", "workflows", "checks.yml"), readFileSync(join(workflowDir, "checks.yml")));
      const kinds = actionlint(dir, [".github/workflows/deploy.yml"]).map((f) => f.kind);
      expect(kinds).toEqual(expect.arrayContaining(["action", "shellcheck"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("preview.yml", () => {
  const preview = workflow("preview.yml");

  it("runs on pull requests to main and previews every committed stack with the policy pack, commenting the diff", () => {
    expect(Object.keys(preview.on)).toEqual(["pull_request"]);
    expect(preview.on.pull_request?.branches).toEqual(["main"]);
    const job = preview.jobs.preview;
    expect([...job.strategy!.matrix.stack].sort()).toEqual(committedStacks);
    expect(pulumiStep(job).with).toMatchObject({
      command: "preview",
      "stack-name": "${{ matrix.stack }}",
      diff: true,
      policyPacks: "policy",
      "comment-on-pr": true,
    });
    expect(job.permissions).toMatchObject({ "pull-requests": "write" });
  });

  it("also runs the credential-free checks", () => {
    expect(preview.jobs.checks.uses).toBe("./.github/workflows/checks.yml");
  });
});

describe("checks.yml", () => {
  const text = readFileSync(join(workflowDir, "checks.yml"), "utf8");
  const checks = parse(text) as Workflow;

  it("runs the project's CI entry point (type check, offline plan, npm test) with no secret", () => {
    expect(Object.keys(checks.on)).toEqual(["workflow_call"]);
    const runs = Object.values(checks.jobs).flatMap((j) => j.steps ?? []).map((s) => s.run ?? "");
    expect(runs).toContain("bash .ci/run");
    expect(text).not.toMatch(/secrets\./);
    expect(readFileSync(join(repoRoot, ".ci", "run"), "utf8")).toMatch(/npm run plan[\s\S]*npm test/);
  });

  it("installs every Debian package the test harness needs", () => {
    const installed = Object.values(checks.jobs)
      .flatMap((j) => j.steps ?? [])
      .map((s) => s.run ?? "")
      .join(" ")
      .split(/[\s\\]+/);
    expect(installed).toEqual(expect.arrayContaining([...aptPackages.tools, ...aptPackages.sipBuild, "shellcheck"]));
  });
});

describe("deploy.yml", () => {
  const deploy = workflow("deploy.yml");
  const job = deploy.jobs.up;

  it("runs pulumi up on pushes to main, after the checks, for every committed stack", () => {
    expect(deploy.on.push?.branches).toEqual(["main"]);
    expect(job.needs).toBe("checks");
    expect(deploy.jobs.checks.uses).toBe("./.github/workflows/checks.yml");
    expect([...job.strategy!.matrix.stack].sort()).toEqual(committedStacks);
    expect(pulumiStep(job).with).toMatchObject({ command: "up", "stack-name": "${{ matrix.stack }}", policyPacks: "policy" });
  });

  it("deploys each stack behind the GitHub environment of the same name", () => {
    expect(job.environment).toBe("${{ matrix.stack }}");
  });

  it("never runs two deploys at once: one workflow-wide group, nothing cancelled, stacks one at a time", () => {
    expect(deploy.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
    expect(job.concurrency).toEqual({ group: "pulumi-up-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(job.strategy?.["max-parallel"]).toBe(1);
  });
});

describe("both Pulumi workflows", () => {
  it("judge each stack by its own policy pack config, policy/config.<stack>.json, when it has one", () => {
    for (const [file, jobName] of [["preview.yml", "preview"], ["deploy.yml", "up"]]) {
      const job = workflow(file).jobs[jobName];
      expect(pulumiStep(job).with?.policyPackConfigs).toBe("${{ steps.policy-config.outputs.files }}");
      const step = (job.steps ?? []).find((s) => s.id === "policy-config");
      expect(step?.env).toEqual({ STACK: "${{ matrix.stack }}" });
      // Run the step's script as the runner would, in a checkout with and without the file.
      const dir = mkdtempSync(join(tmpdir(), "policy-config-"));
      try {
        const outputs = () => {
          const output = join(dir, "github-output");
          writeFileSync(output, "");
          const result = spawnSync("bash", ["-e", "-c", step?.run ?? "exit 1"], { cwd: dir, env: { PATH: process.env.PATH, STACK: "prod", GITHUB_OUTPUT: output } });
          expect(result.status).toBe(0);
          return readFileSync(output, "utf8");
        };
        expect(outputs()).toBe("");
        mkdirSync(join(dir, "policy"));
        writeFileSync(join(dir, "policy", "config.prod.json"), "{}");
        expect(outputs()).toBe("files=policy/config.prod.json\n");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("install the Pulumi CLI release matching the @pulumi/pulumi SDK the program uses", () => {
    const sdk = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
    for (const [file, jobName] of [["preview.yml", "preview"], ["deploy.yml", "up"]]) {
      expect(pulumiStep(workflow(file).jobs[jobName]).with?.["pulumi-version"]).toBe(sdk);
    }
  });
});
