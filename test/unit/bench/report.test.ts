import { type BenchResults, renderReport } from "../../../bench/report";
import { summarize } from "../../../bench/stats";
import { capacityResult, expectLines, expectToContainAll, machine, usage } from "./fixtures";

const workerSample = (answered: number) => ({
  toInviteMs: answered - 50,
  toAnsweredMs: answered,
  phases: { "dispatch → job at worker": 200, "job → dial starts": 20, "dial → INVITE": answered - 270, "INVITE → answered": 50 },
});
const directSample = (answered: number) => ({
  toInviteMs: answered - 30,
  toAnsweredMs: answered,
  phases: { "API call → INVITE": answered - 30, "INVITE → answered": 30 },
});

const idle = { "livekit-sip": usage(0, 50), "livekit-server": usage(0.01, 50), worker: usage(0.02, 800) };
const level4 = { "livekit-sip": usage(0.08, 70), "livekit-server": usage(0.05, 90), worker: usage(0.42, 1400) };
const level6 = { "livekit-sip": usage(0.12, 80), "livekit-server": usage(0.08, 100), worker: usage(0.7, 1800) };
const capacity = capacityResult({
  idle,
  idleMachineCores: 0.05,
  levels: [
    {
      target: 4,
      concurrency: 4,
      calls: 7,
      failures: [],
      setup: summarize([700, 800]),
      usage: level4,
      usageByNode: [level4],
      machineCores: 0.65,
    },
    {
      target: 6,
      concurrency: 5.5,
      calls: 10,
      failures: [{ callId: "cap-12", reason: "held 9.0 s of 20 s" }],
      usage: level6,
      usageByNode: [level6],
      machineCores: 1.9,
    },
  ],
  stoppedBecause: "a call failed at 6 target concurrent calls",
  dialedBy: { local: 17 },
  workerOf: { local: 17 },
  processStartCpuSeconds: 0.8,
});
capacity.held = capacity.levels[0];

const results: BenchResults = {
  startedAt: new Date("2026-11-24T12:00:00.123Z"),
  durationMs: 9 * 60_000,
  machine,
  setup: {
    options: { calls: 3, warmup: 1, gapMs: 1000 },
    worker: [300, 400, 500].map(workerSample),
    direct: [100, 100, 100].map(directSample),
    answerToAudio: { worker: [200, 300, 400], direct: [40, 50, 60] },
    failures: [{ path: "direct", index: 4, error: "twirp error unknown: SIP invite failed" }],
  },
  inbound: {
    options: { calls: 3, warmup: 1, gapMs: 1000 },
    worker: [600, 700, 800],
    floor: [300, 350, 400],
    failures: [{ path: "worker", index: 2, error: "the call to +15550100001 got 486 Busy Here, not 200 OK" }],
  },
  aiKeys: [],
  capacity,
  plan: { stack: "prod", timings: summarize([6000, 6500, 7000]) },
};

describe("the benchmark's results file", () => {
  const report = renderReport(results);

  it("names the machine's cores and every version", () => {
    expect(report.split("\n")[2]).toBe(
      "Run 2026-11-24T12:00:00Z on 2 cores (AMD EPYC), 23.5 GB RAM, Linux 6.1.0; 1-minute load average at start 0.50; " +
        "commit abc1234; the whole run took 9.0 min.",
    );
    expectLines(report, "| livekit-server | v1.13.5 |", "| livekit-sip | v1.8.0 |");
  });

  it("puts both paths' p50/p95 side by side with the worker/direct ratio", () => {
    expectLines(
      report,
      "| through the worker | 350 ms | 440 ms | 400 ms | 490 ms |",
      "| direct CreateSIPParticipant | 70 ms | 70 ms | 100 ms | 100 ms |",
      "| **ratio worker / direct** | 5.00× | 6.29× | **4.00×** | **4.90×** |",
      // Without livekit-server's 200 ms dispatch phase: 100/200/300 ms to answered.
      "| through the worker, from the job's arrival | 150 ms | 240 ms | 200 ms | 290 ms |",
      "| ratio worker from the job's arrival / direct | 2.14× | 3.43× | **2.00×** | **2.90×** |",
      "| worker: dispatch → job at worker | 200 ms | 200 ms |",
    );
    expect(report).toContain("Calls not answered (left out and replaced): direct #4: twirp error unknown: SIP invite failed.");
  });

  it("puts the time to the first audio the caller hears beside its floor, outbound and inbound", () => {
    expectLines(
      report,
      "| path | p50 | p95 | floor p50 | floor p95 | ratio p50 | ratio p95 |",
      "| outbound: callee's answer (carrier's 200 OK) → first audio at the carrier | 300 ms | 390 ms | 50 ms | 59 ms | **6.00×** | **6.61×** |",
      "| inbound: carrier's INVITE → first audio at the carrier | 700 ms | 790 ms | 350 ms | 395 ms | **2.00×** | **2.00×** |",
    );
    expect(report).toContain("Calls left out and replaced: worker #2: the call to +15550100001 got 486 Busy Here, not 200 OK.");
  });

  it("says the AI pipeline's share was skipped without keys, and not measured with them", () => {
    expect(report).toContain("The AI pipeline's own share: skipped, no OPENAI_API_KEY or DEEPGRAM_API_KEY in the environment");
    expect(renderReport({ ...results, aiKeys: ["OPENAI_API_KEY"] })).toContain(
      "The AI pipeline's own share: not measured. OPENAI_API_KEY is set, but the benchmark's worker runs without provider keys",
    );
  });

  it("gives each capacity level, the largest one held with zero failures and the cost per call", () => {
    expectLines(
      report,
      "| idle | 0 | 0 | 0 |  | 0.0 % / 50 MB (100 MB) | 1.0 % / 50 MB (100 MB) | 2.0 % / 800 MB (1600 MB) | 5.0 % |",
      "| 4 | 4.0 | 7 | 0 | 750 ms / 795 ms | 8.0 % / 70 MB (140 MB) | 5.0 % / 90 MB (180 MB) | 42.0 % / 1400 MB (2800 MB) | 65.0 % |",
      "| 6 | 5.5 | 10 | 1 |  | 12.0 % / 80 MB (160 MB) | 8.0 % / 100 MB (200 MB) | 70.0 % / 1800 MB (3600 MB) | 190.0 % |",
      // Memory per call is proportional (what the machine holds), resident beside it.
      "| server | CPU per call | memory per call (PSS) | RSS per call |",
      "| livekit-sip | 2.0 % | 5 MB | 10 MB |",
      "| worker | 10.0 % | 150 MB | 300 MB |",
      "| **all three** | **13.0 %** | **165 MB** | 330 MB |",
    );
    expectToContainAll(
      report,
      "Failed calls: cap-12 (level 6): held 9.0 s of 20 s.",
      "**Largest level held: 4 concurrent calls** with zero failures (4.0 up on average during the window).",
      "starting one costs 0.80 CPU-seconds (measured on the idle one), and it serves 100 calls before it retires: 0.008 CPU-s per call.",
    );
  });

  it("reads the cost per call below the level held when that level kept the machine's cores busy", () => {
    const level4Busy = { ...capacity.levels[0]!, machineCores: 1.85 };
    const level2 = { ...capacity.levels[0]!, target: 2, concurrency: 2, machineCores: 0.4 };
    const busy = renderReport({ ...results, capacity: { ...capacity, levels: [level2, level4Busy, capacity.levels[1]!], held: level4Busy } });
    expectToContainAll(
      busy,
      "**Largest level held: 4 concurrent calls**",
      "Per call at 2 calls, the highest level held with the whole machine below 90 % of its 2 cores",
      "the machine was at 185.0 % at 4)",
    );
    // Twice the per-call usage: the same level's usage spread over 2 calls instead of 4.
    expectLines(busy, "| worker | 20.0 % | 300 MB | 600 MB |");
  });

  it("turns the cost per call into concurrent calls per GCE machine type, labelled as an extrapolation", () => {
    expectToContainAll(report, "## Sizing (extrapolated)", "This extrapolates a measurement on this 2-core machine to other vCPUs one for one");
    expectLines(
      report,
      "| machine type | vCPUs | memory | calls (20 s calls, as measured) | calls (3-min calls) | limited by |",
      "| n2-standard-4 | 4 | 16 GB | 18 | 18 | cpu |",
    );
  });

  it("gives the offline plan's time", () => {
    expectLines(report, "| 6500 ms | 6000 ms | 7000 ms |");
  });

  it("points at the two-node part's own file", () => {
    expectToContainAll(report, "## Two nodes\n\nOpt-in, not in this file: `npm run bench -- --only two-node`", "[two-node.md](two-node.md)");
  });

  it("warns when other work kept the machine busy while the stack was idle", () => {
    expect(report).not.toContain("Warning: other work");
    const shared = renderReport({ ...results, capacity: { ...capacity, idleMachineCores: 1.2 } });
    expect(shared).toContain("**Warning: other work kept 117.0 % of the machine busy while the stack was idle;");
  });

  it("says which parts did not run, and when no level held", () => {
    const partial = renderReport({ ...results, setup: undefined, inbound: undefined, plan: undefined, capacity: { ...capacity, held: undefined } });
    expectToContainAll(
      partial,
      "## Call setup\n\nNot run.",
      "| outbound: not run (part `setup`) |",
      "| inbound: not run (part `inbound`) |",
      "## Offline plan\n\nNot run.",
      "**No level was held.**",
    );
  });
});
