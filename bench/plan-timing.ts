/**
 * Wall-clock time of the offline plan of a stack, run as a user runs it (`npm run plan`).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../test/harness/binaries";
import { type Summary, summarize } from "./stats";
import { nowMs } from "./wait-for";

/** Runs `npm run plan -- --stack <stack>` once into a scratch directory; resolves with its duration, ms. */
function timePlanOnce(stack: string): Promise<number> {
  const outDir = mkdtempSync(join(tmpdir(), "bench-plan-"));
  const start = nowMs();
  const child = spawn("npm", ["run", "--silent", "plan", "--", "--stack", stack, "--out", outDir], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      const ms = nowMs() - start;
      rmSync(outDir, { recursive: true, force: true });
      if (code === 0) resolve(ms);
      else reject(new Error(`npm run plan -- --stack ${stack} exited with ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

/** Times `runs` offline plans of `stack`, one after another. */
export async function timeOfflinePlan(stack: string, runs: number): Promise<Summary> {
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) durations.push(await timePlanOnce(stack));
  return summarize(durations);
}
