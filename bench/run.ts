/**
 * `npm run bench`: measures, side by side in one run, call-setup latency through the worker vs a
 * direct CreateSIPParticipant, the time to the first agent audio the caller hears (outbound from
 * the answer, inbound from the INVITE) against a floor, the concurrent calls the local stack holds with CPU and memory per
 * call, and the offline plan's time; writes bench/results/latest.md and prints it. Opt-in (it adds
 * its own ramp), part `two-node` runs the same ramp on two voice nodes sharing this machine beside
 * the one-node ramp and writes bench/results/two-node.md. Everything runs on loopback and is
 * stopped at the end. Not a test: nothing here asserts a time.
 *
 *   npm run bench [-- --calls 20 --only setup,inbound,capacity,plan,two-node --max-level 40]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type BenchStack, oneNodeTarget, startBenchStack } from "./bench-stack";
import { runCallSetup } from "./call-setup";
import { type CapacityOptions, measureProcessStart, runCapacity } from "./capacity";
import type { CapacityResult } from "./capacity-result";
import { runInboundAudio } from "./inbound-audio";
import { machineInfo } from "./machine";
import { timeOfflinePlan } from "./plan-timing";
import { type BenchResults, renderReport } from "./report";
import { renderTwoNodeReport } from "./two-node-report";
import { startTwoNodeBenchStack } from "./two-node-stack";
import { nowMs } from "./wait-for";

const PARTS = ["setup", "inbound", "capacity", "plan", "two-node"] as const;
type Part = (typeof PARTS)[number];
// Run without --only. The two-node part is opt-in: it adds a ramp (and the one-node ramp beside it when `capacity` is not run).
const DEFAULT_PARTS: readonly Part[] = ["setup", "inbound", "capacity", "plan"];
// The parts bench/results/latest.md reports.
const LATEST_PARTS: readonly Part[] = ["setup", "inbound", "capacity", "plan"];

// Each capacity call is held this long (the 20 s).
const HOLD_MS = 20_000;
// The capacity ramp's own time budget, from its start: the parts before it take a time of their own that grows with --calls.
const CAPACITY_BUDGET_MS = 9 * 60_000;
// The two-node ramp's own time budget, from its start.
const TWO_NODE_BUDGET_MS = 9 * 60_000;
// A fresh stack's worker gets this long to start its first call group process, then its idle use is sampled this long.
const PROCESS_START_SAMPLING = { quietMs: 5_000, idleMs: 5_000 };
// Capacity levels tried in order, up to --max-level.
const LEVELS = [2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48];

const usage = "usage: npm run bench [-- --calls <n> --warmup <n> --only setup,inbound,capacity,plan,two-node --max-level <n>]";

// The AI provider keys the worker's pipeline would use; the report names which are set.
const AI_KEYS = ["OPENAI_API_KEY", "DEEPGRAM_API_KEY"];

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} is ${JSON.stringify(text)}: expected a whole number of at least 1\n${usage}`);
  }
  return value;
}

function parts(text: string | undefined): Set<Part> {
  if (text === undefined) return new Set(DEFAULT_PARTS);
  const named = text.split(",").map((p) => p.trim());
  const unknown = named.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new Error(`--only names ${unknown.join(", ")}: expected some of ${PARTS.join(", ")}\n${usage}`);
  }
  return new Set(named as Part[]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: "string" },
      warmup: { type: "string" },
      only: { type: "string" },
      "max-level": { type: "string" },
    },
  });
  // 20 calls per path give a stable interpolated p95 and keep the whole run near 15 minutes with the inbound part.
  const calls = positive("calls", values.calls, 20);
  const warmup = values.warmup === "0" ? 0 : positive("warmup", values.warmup, 2);
  const run = parts(values.only);
  const maxLevel = positive("max-level", values["max-level"], LEVELS[LEVELS.length - 1]);
  const levels = LEVELS.filter((level) => level <= maxLevel);

  const startedAt = new Date();
  const start = nowMs();
  const log = (line: string) => console.error(line);
  const aiKeys = AI_KEYS.filter((key) => (process.env[key] ?? "") !== "");
  const results: Omit<BenchResults, "durationMs"> = { startedAt, machine: machineInfo(), aiKeys };
  const ramp = (budgetMs: number): CapacityOptions => ({
    levels,
    holdMs: HOLD_MS,
    settleMs: 3_000,
    windowMs: 8_000,
    quietMs: 5_000,
    idleMs: 5_000,
    answerTimeoutMs: 15_000,
    deadlineMs: nowMs() + budgetMs,
  });
  // The one-node ramp the two-node one is set beside: part `capacity`'s, or one of its own.
  let oneNode: CapacityResult | undefined;

  if (run.has("plan")) {
    log("Offline plan of the prod stack, 3 runs…");
    results.plan = { stack: "prod", timings: await timeOfflinePlan("prod", 3) };
  }
  if (run.has("setup") || run.has("inbound") || run.has("capacity") || run.has("two-node")) {
    log("Starting the local stack (redis, livekit-server, livekit-sip, sipp carrier, worker)…");
    const stack: BenchStack = await startBenchStack({ maxCalls: Math.ceil(maxLevel * 1.5), holdMs: HOLD_MS });
    try {
      const rampsHere = run.has("capacity") || run.has("two-node");
      // Before any call: later the worker's processes have served calls of their own.
      const processStartCpuSeconds = rampsHere ? await measureProcessStart(oneNodeTarget(stack), PROCESS_START_SAMPLING) : undefined;
      if (run.has("setup")) {
        log(`Call setup: ${calls} calls per path, interleaved…`);
        const options = { calls, warmup, gapMs: 1_000 };
        results.setup = { options, ...(await runCallSetup(stack, options, log)) };
      }
      if (run.has("inbound")) {
        log(`Inbound first audio: ${calls} calls per path, interleaved…`);
        const options = { calls, warmup, gapMs: 1_000 };
        results.inbound = { options, ...(await runInboundAudio(stack, options, log)) };
      }
      if (rampsHere) {
        log(`Concurrent calls, one node: ramp over ${levels.join(", ")}, each call held ${HOLD_MS / 1000} s…`);
        oneNode = await runCapacity(oneNodeTarget(stack), { ...ramp(CAPACITY_BUDGET_MS), processStartCpuSeconds }, log);
        if (run.has("capacity")) results.capacity = oneNode;
      }
    } catch (error) {
      log(stack.logs(80));
      throw error;
    } finally {
      await stack.stop();
    }
  }

  let twoNodes: CapacityResult | undefined;
  if (run.has("two-node")) {
    // Started after the one-node stack stopped: the two ramps never share the machine with each other.
    log("Starting the two-node stack (redis with AUTH, two livekit-servers, two livekit-sips, sipp carrier, a worker per node)…");
    const stack = await startTwoNodeBenchStack({ maxCalls: Math.ceil(maxLevel * 1.5), holdMs: HOLD_MS });
    try {
      log(`Concurrent calls, two nodes: ramp over ${levels.join(", ")}, calls through node A's and node B's API in turn…`);
      const processStartCpuSeconds = await measureProcessStart(stack.target, PROCESS_START_SAMPLING);
      twoNodes = await runCapacity(stack.target, { ...ramp(TWO_NODE_BUDGET_MS), processStartCpuSeconds }, log);
    } catch (error) {
      log(stack.logs(80));
      throw error;
    } finally {
      await stack.stop();
    }
  }

  const durationMs = nowMs() - start;
  const resultsDir = join(__dirname, "results");
  mkdirSync(resultsDir, { recursive: true });
  if (LATEST_PARTS.some((part) => run.has(part))) {
    const report = renderReport({ ...results, durationMs });
    writeFileSync(join(resultsDir, "latest.md"), report);
    console.log(report);
  }
  if (oneNode && twoNodes) {
    const report = renderTwoNodeReport({ startedAt, durationMs, machine: results.machine, oneNode, twoNodes });
    writeFileSync(join(resultsDir, "two-node.md"), report);
    console.log(report);
  }
}

// The harness unreferences its child processes (a forgotten stop() must not keep a test run
// alive), so while stop() waits for them to exit nothing else would keep this process running.
const keepAlive = setInterval(() => undefined, 1_000);
main().then(
  () => {
    clearInterval(keepAlive);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
