/**
 * `npm run bench`: measures, side by side in one run, call-setup latency through the worker vs a
 * direct CreateSIPParticipant, the time to the first agent audio the caller hears (outbound from
 * the answer, inbound from the INVITE) against a floor, the concurrent calls the local stack holds with CPU and memory per
 * call, and the offline plan's time; writes bench/results/latest.md and prints it. Everything runs
 * on loopback and is stopped at the end. Not a test: nothing here asserts a time.
 *
 *   npm run bench [-- --calls 20 --only setup,inbound,capacity,plan --max-level 40]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type BenchStack, startBenchStack } from "./bench-stack";
import { runCallSetup } from "./call-setup";
import { runCapacity } from "./capacity";
import { runInboundAudio } from "./inbound-audio";
import { machineInfo } from "./machine";
import { timeOfflinePlan } from "./plan-timing";
import { type BenchResults, renderReport } from "./report";
import { nowMs } from "./wait-for";

const PARTS = ["setup", "inbound", "capacity", "plan"] as const;
type Part = (typeof PARTS)[number];

// Each capacity call is held this long (the 20 s).
const HOLD_MS = 20_000;
// The capacity ramp's own time budget, from its start: the parts before it take a time of their own that grows with --calls.
const CAPACITY_BUDGET_MS = 9 * 60_000;
// Capacity levels tried in order, up to --max-level.
const LEVELS = [2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48];

const usage = "usage: npm run bench [-- --calls <n> --warmup <n> --only setup,inbound,capacity,plan --max-level <n>]";

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
  if (text === undefined) return new Set(PARTS);
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

  if (run.has("plan")) {
    log("Offline plan of the prod stack, 3 runs…");
    results.plan = { stack: "prod", timings: await timeOfflinePlan("prod", 3) };
  }
  if (run.has("setup") || run.has("inbound") || run.has("capacity")) {
    log("Starting the local stack (redis, livekit-server, livekit-sip, sipp carrier, worker)…");
    const stack: BenchStack = await startBenchStack({ maxCalls: Math.ceil(maxLevel * 1.5), holdMs: HOLD_MS });
    try {
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
      if (run.has("capacity")) {
        log(`Concurrent calls: ramp over ${levels.join(", ")}, each call held ${HOLD_MS / 1000} s…`);
        results.capacity = await runCapacity(
          stack,
          {
            levels,
            holdMs: HOLD_MS,
            settleMs: 3_000,
            windowMs: 8_000,
            quietMs: 5_000,
            idleMs: 5_000,
            answerTimeoutMs: 15_000,
            deadlineMs: nowMs() + CAPACITY_BUDGET_MS,
          },
          log,
        );
      }
    } catch (error) {
      log(stack.logs(80));
      throw error;
    } finally {
      await stack.stop();
    }
  }

  const report = renderReport({ ...results, durationMs: nowMs() - start });
  const resultsDir = join(__dirname, "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "latest.md"), report);
  console.log(report);
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
