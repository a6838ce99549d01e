import { execFile } from "node:child_process";
import { join } from "node:path";
import type { CallSummary } from "../../scripts/dispatch/call-progress";
import { repoRoot } from "../harness/binaries";

/** What one run of `npm run call` printed and how it exited. */
export interface DispatchRun {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
  /** The JSON summary it printed last (`--json`). */
  summary: CallSummary;
}

/** The summary of an outbound call the worker placed, the callee answered and then hung up. */
export function answeredThenHungUp(callId: string): CallSummary {
  return { callId, workerJoined: true, outcome: { outcome: "answered", reason: "answered", sipStatusCode: 200 }, ended: "callee_hung_up" };
}

/**
 * Runs `scripts/dispatch-call.ts` as `npm run call` does (tsx), with `--json`, the given
 * arguments and the API secret (and `env`) in the environment; resolves once it exits.
 */
export function runDispatchCall(args: string[], apiSecret: string, env: Record<string, string> = {}): Promise<DispatchRun> {
  return new Promise((resolve, reject) => {
    execFile(
      join(repoRoot, "node_modules", ".bin", "tsx"),
      [join(repoRoot, "scripts", "dispatch-call.ts"), ...args, "--json"],
      { cwd: repoRoot, env: { ...process.env, ...env, LIVEKIT_API_SECRET: apiSecret }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        const last = stdout.trim().split("\n").pop() ?? "";
        try {
          resolve({ code, stdout, stderr, summary: JSON.parse(last) as CallSummary });
        } catch {
          reject(new Error(`npm run call printed no JSON summary (exit ${code}):\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
