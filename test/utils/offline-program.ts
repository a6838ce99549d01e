import * as fs from "node:fs";
import * as path from "node:path";
import type { RawConfig } from "../../components/config";
import { projectNamespace } from "../../components/config/fields";
import type { OfflineOptions, OfflineRun } from "../../scripts/plan/run-offline";

/** Repository root. */
export const repoRoot = path.join(__dirname, "..", "..");

/**
 * Runs the whole program under the mock runtime (an update, or a preview with `options.preview`)
 * in a fresh module registry, so one test file can run it several times with different config (the
 * Pulumi runtime keeps per-registry state).
 */
export async function runProgram(raw: RawConfig, stack = "prod", options: OfflineOptions = {}): Promise<OfflineRun> {
  let run: OfflineRun | undefined;
  await jest.isolateModulesAsync(async () => {
    const { runOffline } = await import("../../scripts/plan/run-offline");
    run = await runOffline(projectNamespace, stack, raw, options);
  });
  if (!run) throw new Error("the program did not run");
  return run;
}

/** Type token of the deployment's remote steps. */
export const commandType = "command:remote:Command";

/** Each remote step's triggers, by step name: a step re-runs when its entry changes. */
export function triggersByStep(run: OfflineRun): Record<string, string> {
  return Object.fromEntries(run.monitor.ofType(commandType).map((c) => [c.name, JSON.stringify(c.inputs.triggers)]));
}

/** The stacks committed as `Pulumi.<stack>.yaml`, sorted. */
export function committedStacks(): string[] {
  return fs
    .readdirSync(repoRoot)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Raw config of a committed stack file, with placeholder secrets, plus overrides. */
export function stackConfig(stack: string, overrides: Record<string, string> = {}): RawConfig {
  const { readStackFile } = jest.requireActual("../../scripts/plan/stack-file") as typeof import("../../scripts/plan/stack-file");
  const raw = readStackFile(path.join(repoRoot, `Pulumi.${stack}.yaml`));
  return { values: { ...raw.values, ...overrides }, secretKeys: raw.secretKeys };
}
