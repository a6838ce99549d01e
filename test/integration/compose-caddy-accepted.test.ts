import fc from "fast-check";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { parse, stringify } from "yaml";
import {
  fileNames,
  hostLayout,
  type HostFile,
  type LivekitKeys,
  renderWorkerEnv,
  runtimeFilePaths,
  type RuntimeInput,
  workerEnvPath,
  workerProfile,
} from "../../components/runtime-config";
import { clusterNodePaths, resourcesByNode, writeDeployedFiles } from "../../scripts/plan/write-files";
import { caddyValidate, composeConfig, type ToolVerdict } from "../harness/compose-caddy";
import { committedStacks, runProgram, stackConfig } from "../utils/offline-program";
import { acceptedConfig, configOverrides, envVariables, keysOf, renderAllFiles, runtimeInputOf } from "../utils/render-properties";
import { productionKeys, productionRuntimeInput } from "../utils/runtime-input";

// Compose and Caddy judge the files exactly as the host receives them: the directory holds every
// file the deployment installs, so compose reads the env files and the mounts it names.

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "compose-caddy-accepted-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const freshDir = (prefix: string): string => mkdtempSync(join(root, `${prefix}-`));

/** The host's two ways of running the project: the stack alone, and with the worker. */
const profileSets: readonly (readonly string[])[] = [[], [workerProfile]];

/** A compose run's exit status and whatever it printed to stderr (warnings included). */
const composeOutcome = (v: ToolVerdict) => ({ status: v.status, stderr: v.stderr.trim() });

/** Caddy's exit status and every log line above info (Caddy logs JSON lines to a non-terminal stderr). */
function caddyOutcome(v: ToolVerdict) {
  const complaints = v.stderr
    .split("\n")
    .filter((line) => line.trim() !== "")
    .filter((line) => {
      try {
        return !["debug", "info"].includes((JSON.parse(line) as { level?: string }).level ?? "");
      } catch {
        return true;
      }
    });
  return { status: v.status, complaints };
}

/** The services of a compose document and each one's env_file entries, as file names. */
function envFilesOf(composeText: string): Map<string, string[]> {
  const compose = parse(composeText) as { services: Record<string, { env_file?: unknown }> };
  const found = new Map<string, string[]>();
  for (const [name, service] of Object.entries(compose.services)) {
    const entries = [service.env_file ?? []].flat() as (string | { path: string })[];
    if (entries.length > 0) found.set(name, entries.map((e) => (typeof e === "string" ? e : e.path)));
  }
  return found;
}

/**
 * What the project in `dir` falls short of: compose's verdict with and without the worker profile,
 * bind-mount sources that are not files the deployment installed (docker would create an empty
 * directory in their place), env-file variables compose reads otherwise than written, and Caddy's
 * verdict on the Caddyfile. An accepted project gives {@link accepted}.
 */
function judge(dir: string) {
  const scratch = freshDir("scratch");
  const resolved = composeConfig(dir, { profiles: [workerProfile], json: true, scratch });
  if (resolved.status !== 0) throw new Error(`compose could not resolve ${dir}: ${resolved.stderr}`);
  const project = JSON.parse(resolved.stdout) as {
    services: Record<string, { volumes?: { type: string; source: string }[]; environment?: Record<string, string> }>;
  };
  const composeText = readFileSync(join(dir, fileNames.compose), "utf8");
  const misread: string[] = [];
  for (const [service, files] of envFilesOf(composeText)) {
    for (const file of files) {
      for (const [name, value] of Object.entries(envVariables(readFileSync(join(dir, file), "utf8")))) {
        if (project.services[service]?.environment?.[name] !== value) misread.push(`${service}: ${name} from ${file}`);
      }
    }
  }
  return {
    compose: profileSets.map((profiles) => composeOutcome(composeConfig(dir, { profiles, scratch }))),
    unmountable: Object.entries(project.services).flatMap(([service, s]) =>
      (s.volumes ?? [])
        // The drain flag's directory (several nodes) is the host's own, which compose creates.
        .filter((v) => v.type === "bind" && v.source !== hostLayout.drainDir && !(existsSync(v.source) && statSync(v.source).isFile() && !relative(dir, v.source).startsWith("..")))
        .map((v) => `${service}: ${v.source}`),
    ),
    misreadEnv: misread,
    caddy: caddyOutcome(caddyValidate(join(dir, fileNames.caddy), scratch)),
  };
}

/** {@link judge}'s result for a project both tools accept without a word. */
const accepted = {
  compose: profileSets.map(() => ({ status: 0, stderr: "" })),
  unmountable: [],
  misreadEnv: [],
  caddy: { status: 0, complaints: [] },
};

/**
 * A directory holding every file the pure renderers give for `input` and `keys` (the runtime files,
 * the key pair's env file and the worker's env file) under their base names, as the plan writes
 * the deployed files.
 */
function renderedProject(input: RuntimeInput, keys: LivekitKeys, prefix: string): string {
  const dir = freshDir(prefix);
  const files: HostFile[] = [
    ...Object.values(renderAllFiles(input, keys)),
    renderWorkerEnv({ ...keys, sipOutboundTrunkId: "ST_rendered", agentName: "rendered", callsPerProcess: 8 }),
  ];
  for (const file of files) writeFileSync(join(dir, basename(file.path)), file.content, { mode: 0o600 });
  // Every file the deployment installs is here, so a compose error is the renderers', not the test's.
  expect(files.map((f) => f.path).sort()).toEqual([...Object.values(runtimeFilePaths), workerEnvPath].sort());
  return dir;
}

/** A copy of the project in `dir` with `file` edited, or removed when `edit` gives undefined. */
function variant(dir: string, file: string, edit: (text: string) => string | undefined): string {
  const copy = freshDir("variant");
  cpSync(dir, copy, { recursive: true });
  const edited = edit(readFileSync(join(copy, file), "utf8"));
  if (edited === undefined) rmSync(join(copy, file));
  else writeFileSync(join(copy, file), edited);
  return copy;
}

describe.each(committedStacks())("the files stack %s deploys", (stack) => {
  let dir: string;
  beforeAll(async () => {
    const run = await runProgram(stackConfig(stack), stack);
    dir = freshDir(`stack-${stack}`);
    // A stack of several nodes: node 1's files (node 0's differ only in names and addresses).
    const byNode = resourcesByNode(run.monitor.resources, run.parents);
    if (byNode.size > 1) writeDeployedFiles(byNode.get(1) ?? [], dir, clusterNodePaths);
    else writeDeployedFiles(run.monitor.resources, dir);
  }, 120_000);

  it("are accepted silently by docker compose (with and without the worker profile) and caddy validate", () => {
    expect(judge(dir)).toEqual(accepted);
  });

  it("name env files compose reads: without any one of them the project is refused, naming it", () => {
    const envFiles = [...envFilesOf(readFileSync(join(dir, fileNames.compose), "utf8")).values()].flat();
    expect(envFiles).toContain(`./${fileNames.workerEnv}`);
    for (const file of envFiles) {
      const verdict = composeConfig(variant(dir, file, () => undefined), { profiles: [workerProfile], scratch: freshDir("scratch") });
      expect({ file, refused: verdict.status !== 0, names: verdict.stderr.includes(basename(file)) }).toEqual({ file, refused: true, names: true });
    }
  });

  it("let the stack come up without the worker's env file, which exists only once the trunks do", () => {
    const withoutWorkerEnv = variant(dir, fileNames.workerEnv, () => undefined);
    expect(composeOutcome(composeConfig(withoutWorkerEnv, { profiles: [], scratch: freshDir("scratch") }))).toEqual({ status: 0, stderr: "" });
  });
});

describe("the real tools as judges", () => {
  let dir: string;
  beforeAll(() => {
    dir = renderedProject(productionRuntimeInput(), productionKeys(), "reference");
  });

  it("accept the reference rendering", () => {
    expect(judge(dir)).toEqual(accepted);
  });

  it("refuse a compose file compose's schema does not allow", () => {
    const broken = variant(dir, fileNames.compose, (text) => {
      const compose = parse(text);
      compose.services.livekit.restart_policy = "always";
      return stringify(compose);
    });
    const verdict = composeConfig(broken, { profiles: [], scratch: freshDir("scratch") });
    expect(verdict.status).not.toBe(0);
    expect(verdict.stderr).toContain("Additional property restart_policy is not allowed");
  });

  it("report a compose warning, such as the obsolete version attribute, as a difference", () => {
    const warned = variant(dir, fileNames.compose, (text) => `version: "3.8"\n${text}`);
    expect(judge(warned).compose).toEqual(profileSets.map(() => ({ status: 0, stderr: expect.stringContaining("obsolete") })));
  });

  it("report a mounted file the deployment did not install, and an env value compose reads otherwise than written", () => {
    const [service, [envFile]] = [...envFilesOf(readFileSync(join(dir, fileNames.compose), "utf8"))][0];
    const withoutLivekitYaml = variant(dir, fileNames.livekit, () => undefined);
    // Unquoted, compose's env-file parser drops ` #` and what follows.
    const withComment = variant(dir, envFile, (text) => `${text}PROBE=value #comment\n`);
    expect(judge(withoutLivekitYaml).unmountable).toEqual([`livekit: ${join(withoutLivekitYaml, fileNames.livekit)}`]);
    const misread = judge(withComment).misreadEnv;
    expect(misread).toContain(`${service}: PROBE from ${envFile}`);
    expect(misread.filter((entry) => !entry.endsWith(`: PROBE from ${envFile}`))).toEqual([]);
  });

  it("refuse a Caddyfile with a directive Caddy does not know", () => {
    const broken = variant(dir, fileNames.caddy, (text) => text.replace("reverse_proxy", "reverse_proxi"));
    expect(caddyOutcome(caddyValidate(join(broken, fileNames.caddy), freshDir("scratch")))).toEqual({
      status: 1,
      complaints: [expect.stringContaining("reverse_proxi")],
    });
  });
});

describe("the files rendered from generated stack configs", () => {
  it("are accepted silently by docker compose and caddy validate", () => {
    fc.assert(
      fc.property(configOverrides, fc.ipV4(), (overrides, staticIp) => {
        const config = acceptedConfig(overrides);
        fc.pre(config !== undefined);
        expect(judge(renderedProject(runtimeInputOf(config!, staticIp), keysOf(config!), "generated"))).toEqual(accepted);
      }),
      // Each run starts four processes: a small sample, no shrinking (the seed in a failure replays it).
      { numRuns: 16, endOnFailure: true },
    );
  }, 120_000);
});
