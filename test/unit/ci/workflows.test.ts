import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { aptPackages } from "../../harness/binaries";
import { ensureActionlint, shellcheckPath } from "../../utils/actionlint";
import { committedStacks as listCommittedStacks, repoRoot } from "../../utils/offline-program";

const workflowDir = join(repoRoot, ".github", "workflows");

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "continue-on-error"?: boolean;
  "working-directory"?: string;
}

interface Job {
  uses?: string;
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
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

  describe("host files diff", () => {
    const job = preview.jobs["plan-diff"];
    const steps = job.steps ?? [];
    const named = (name: string): Step => {
      const step = steps.find((s) => s.name === name);
      if (!step) throw new Error(`no step named "${name}" in ${steps.map((s) => s.name ?? s.uses ?? s.run).join(", ")}`);
      return step;
    };

    it("plans the pull request and its base branch offline for every committed stack, with no secret and no token left in a checkout", () => {
      expect([...job.strategy!.matrix.stack].sort()).toEqual(committedStacks);
      expect(job.env).toEqual({ STACK: "${{ matrix.stack }}" });
      expect(job.permissions).toEqual({ contents: "read", "pull-requests": "write" });
      expect(JSON.stringify(job)).not.toMatch(/secrets\./);
      const checkouts = steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
      expect(checkouts.map((s) => s.with)).toEqual([
        { "persist-credentials": false },
        { ref: "${{ github.event.pull_request.base.sha }}", path: "base-branch", "persist-credentials": false },
      ]);
      expect(named("Offline plan of this pull request").run).toBe('npm run plan -- --stack "$STACK" --out "$RUNNER_TEMP/plan-head"');
      const base = named("Offline plan of the base branch");
      expect(base).toMatchObject({ id: "base-plan", "continue-on-error": true, "working-directory": "base-branch" });
      expect(base.run).toContain('npm run plan -- --stack "$STACK" --out "$RUNNER_TEMP/plan-base"');
      expect(steps.indexOf(base)).toBeGreaterThan(steps.indexOf(checkouts[1]));
    });

    describe("the diff step, run as the runner would", () => {
      const step = named("Diff of the host files");
      let temp: string;
      beforeEach(() => {
        temp = mkdtempSync(join(tmpdir(), "plan-diff-step-"));
      });
      afterEach(() => rmSync(temp, { recursive: true, force: true }));

      function plan(name: string, compose: string, env: string): void {
        const dir = join(temp, name);
        mkdirSync(dir);
        writeFileSync(join(dir, "docker-compose.yml"), compose);
        writeFileSync(join(dir, "worker.env"), env);
        const files = [
          { file: "docker-compose.yml", hostPath: "/opt/agent-studio-voice/docker-compose.yml", secret: false },
          { file: "worker.env", hostPath: "/opt/agent-studio-voice/worker.env", secret: true },
        ];
        writeFileSync(join(dir, "host-files.json"), JSON.stringify({ files }));
      }

      function runStep(basePlan: string): string {
        const summary = join(temp, "step-summary");
        writeFileSync(summary, "");
        const env = { PATH: `${join(repoRoot, "node_modules", ".bin")}:${process.env.PATH}`, HOME: process.env.HOME, STACK: "prod", RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: summary, ...step.env, BASE_PLAN: basePlan, BASE_REF: "main" };
        const result = spawnSync("bash", ["-e", "-c", step.run ?? "exit 1"], { cwd: repoRoot, env, encoding: "utf8", timeout: 120_000 });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        const report = readFileSync(join(temp, "plan-diff.md"), "utf8");
        expect(readFileSync(summary, "utf8")).toBe(report);
        return report;
      }

      it("writes the diff of the two plans to the report and the job summary, the compose line shown and the secret not", () => {
        plan("plan-base", "services:\n  sip:\n    image: livekit/sip:v1.8.0\n", "LIVEKIT_API_SECRET=base-secret-value\n");
        plan("plan-head", "services:\n  sip:\n    image: livekit/sip:v1.9.0\n", "LIVEKIT_API_SECRET=head-secret-value\n");
        const report = runStep("success");
        expect(report).toMatch(/^### Host files of `prod`: base branch \(main\) → this pull request\n/);
        expect(report).toContain("-    image: livekit/sip:v1.8.0\n+    image: livekit/sip:v1.9.0");
        expect(report).toContain("Variables: changed `LIVEKIT_API_SECRET`.");
        expect(report).not.toMatch(/secret-value/);
      }, 120_000);

      it("says the base branch could not be planned when its plan failed", () => {
        plan("plan-head", "services: {}\n", "A=1\n");
        expect(runStep("failure")).toMatch(/The offline plan of the base branch \(main\) failed, so there is nothing to compare/);
      }, 120_000);
    });

    describe("the comment step", () => {
      const step = named("Comment the diff on the pull request");

      /** Runs the step's script as actions/github-script does, against a fake GitHub API. */
      async function comment(existing: { id: number; body: string; user: { type: string } }[]): Promise<unknown[]> {
        const temp = mkdtempSync(join(tmpdir(), "plan-diff-comment-"));
        const calls: unknown[] = [];
        const listComments = async () => existing;
        const github = {
          paginate: async (method: unknown, params: unknown) => {
            expect(method).toBe(listComments);
            expect(params).toMatchObject({ owner: "acme", repo: "voice", issue_number: 7 });
            return existing;
          },
          rest: {
            issues: {
              listComments,
              createComment: async (params: unknown) => calls.push(["create", params]),
              updateComment: async (params: unknown) => calls.push(["update", params]),
            },
          },
        };
        const context = { repo: { owner: "acme", repo: "voice" }, issue: { number: 7 } };
        const saved = { STACK: process.env.STACK, REPORT: process.env.REPORT };
        try {
          writeFileSync(join(temp, "plan-diff.md"), "### Host files of `prod`\n");
          Object.assign(process.env, { STACK: "prod", REPORT: join(temp, "plan-diff.md") });
          const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;
          await new AsyncFunction("require", "github", "context", String(step.with?.script))(require, github, context);
        } finally {
          for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
          }
          rmSync(temp, { recursive: true, force: true });
        }
        return calls;
      }

      it("is skipped for pull requests from forks, whose token cannot comment", () => {
        expect(step.uses).toBe("actions/github-script@v8");
        expect(step.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
        expect(step.env).toEqual({ REPORT: "${{ runner.temp }}/plan-diff.md" });
      });

      it("creates one comment per stack, marked with the stack", async () => {
        const calls = await comment([{ id: 1, body: "<!-- plan-diff:staging -->\nother stack", user: { type: "Bot" } }]);
        expect(calls).toEqual([["create", { owner: "acme", repo: "voice", issue_number: 7, body: "<!-- plan-diff:prod -->\n### Host files of `prod`\n" }]]);
      });

      it("edits the stack's own comment on later pushes, not a person's comment quoting the marker", async () => {
        const calls = await comment([
          { id: 2, body: "<!-- plan-diff:prod -->\nquoted by a person", user: { type: "User" } },
          { id: 3, body: "<!-- plan-diff:prod -->\nold diff", user: { type: "Bot" } },
        ]);
        expect(calls).toEqual([["update", { owner: "acme", repo: "voice", comment_id: 3, body: "<!-- plan-diff:prod -->\n### Host files of `prod`\n" }]]);
      });
    });
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
