/**
 * Plan diff: compares the host files of two offline plans (`npm run plan -- --out <dir>`) and
 * prints, as Markdown for a pull request comment, a unified diff of each file added, removed or
 * changed. Files that hold secrets (by the plans' host-files.json) show only which variables
 * changed, never a value.
 *
 *   npm run plan-diff -- [--stack <name>] [--base-label <text>] [--head-label <text>] <base-dir> <head-dir>
 *   npm run plan-diff -- --base-failed [--stack <name>] [--base-label <text>]
 */
import { parseArgs } from "node:util";
import { diffPlans } from "./plan/host-file-diff";
import { renderBaseFailed, renderPlanDiff } from "./plan/plan-diff-markdown";
import { readPlanOutput } from "./plan/read-plan-output";

const usage =
  "usage: npm run plan-diff -- [--stack <name>] [--base-label <text>] [--head-label <text>] <base-dir> <head-dir>\n" +
  "       npm run plan-diff -- --base-failed [--stack <name>] [--base-label <text>]\n" +
  "  (each dir written by `npm run plan -- --stack <name> --out <dir>`)";

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        stack: { type: "string" },
        "base-label": { type: "string" },
        "head-label": { type: "string" },
        "base-failed": { type: "boolean", default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const expected = values["base-failed"] ? 0 : 2;
  if (positionals.length !== expected) {
    console.error(usage);
    return 2;
  }
  const [baseDir, headDir] = positionals;
  const labels = {
    ...(values.stack !== undefined && { stack: values.stack }),
    base: values["base-label"] ?? (baseDir === undefined ? "base" : `\`${baseDir}\``),
    head: values["head-label"] ?? `\`${headDir}\``,
  };
  if (values["base-failed"]) {
    process.stdout.write(renderBaseFailed(labels));
    return 0;
  }
  try {
    process.stdout.write(renderPlanDiff(diffPlans(readPlanOutput(baseDir), readPlanOutput(headDir)), labels));
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  return 0;
}

process.exit(main());
