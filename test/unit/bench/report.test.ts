import type { CapacityResult } from "../../../bench/capacity-result";
import { type BenchResults, renderReport } from "../../../bench/report";
import { summarize } from "../../../bench/stats";

const machine: BenchResults["machine"] = {
  cores: 2,
  cpuModel: "AMD EPYC",
  memoryGb: 23.5,
  kernel: "6.1.0",
  loadAverage: 0.5,
  versions: { "livekit-server": "v1.13.5", "livekit-sip": "v1.8.0" },
  commit: "abc1234",
};

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

const usage = (cpuCores: number, pssMb: number) => ({ cpuCores, pssMb, rssMb: pssMb * 2 });
const idle = { "livekit-sip": usage(0, 50), "livekit-server": usage(0.01, 50), worker: usage(0.02, 800) };
const level4 = { "livekit-sip": usage(0.08, 70), "livekit-server": usage(0.05, 90), worker: usage(0.42, 1400) };
const level6 = { "livekit-sip": usage(0.12, 80), "livekit-server": usage(0.08, 100), worker: usage(0.7, 1800) };
const capacity: CapacityResult = {
  nodes: ["local"],
  idle,
  idleByNode: [idle],
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
  holdMs: 20_000,
  answerTimeoutMs: 15_000,
  dialedBy: { local: 17 },
  workerOf: { local: 17 },
  jobProcessStartCpuSeconds: 0.8,
};
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
  const lines = report.split("\n");

  it("names the machine's cores and every version", () => {
    expect(lines[2]).toBe(
      "Run 2026-11-24T12:00:00Z on 2 cores (AMD EPYC), 23.5 GB RAM, Linux 6.1.0; 1-minute load average at start 0.50; " +
        "commit abc1234; the whole run took 9.0 min.",
    );
    expect(lines).toContain("| livekit-server | v1.13.5 |");
    expect(lines).toContain("| livekit-sip | v1.8.0 |");
  });

  it("puts both paths' p50/p95 side by side with the worker/direct ratio", () => {
    expect(lines).toContain("| through the worker | 350 ms | 440 ms | 400 ms | 490 ms |");
    expect(lines).toContain("| direct CreateSIPParticipant | 70 ms | 70 ms | 100 ms | 100 ms |");
    expect(lines).toContain("| **ratio worker / direct** | 5.00× | 6.29× | **4.00×** | **4.90×** |");
    // Without livekit-server's 200 ms dispatch phase: 100/200/300 ms to answered.
    expect(lines).toContain("| through the worker, from the job's arrival | 150 ms | 240 ms | 200 ms | 290 ms |");
    expect(lines).toContain("| ratio worker from the job's arrival / direct | 2.14× | 3.43× | **2.00×** | **2.90×** |");
    expect(lines).toContain("| worker: dispatch → job at worker | 200 ms | 200 ms |");
    expect(report).toContain("Calls not answered (left out and replaced): direct #4: twirp error unknown: SIP invite failed.");
  });

  it("puts the time to the first audio the caller hears beside its floor, outbound and inbound", () => {
    expect(lines).toContain("| path | p50 | p95 | floor p50 | floor p95 | ratio p50 | ratio p95 |");
    expect(lines).toContain(
      "| outbound: callee's answer (carrier's 200 OK) → first audio at the carrier | 300 ms | 390 ms | 50 ms | 59 ms | **6.00×** | **6.61×** |",
    );
    expect(lines).toContain("| inbound: carrier's INVITE → first audio at the carrier | 700 ms | 790 ms | 350 ms | 395 ms | **2.00×** | **2.00×** |");
    expect(report).toContain("Calls left out and replaced: worker #2: the call to +15550100001 got 486 Busy Here, not 200 OK.");
  });

  it("says the AI pipeline's share was skipped without keys, and not measured with them", () => {
    expect(report).toContain("The AI pipeline's own share: skipped, no OPENAI_API_KEY or DEEPGRAM_API_KEY in the environment");
    expect(renderReport({ ...results, aiKeys: ["OPENAI_API_KEY"] })).toContain(
      "The AI pipeline's own share: not measured. OPENAI_API_KEY is set, but the benchmark's worker runs without provider keys",
    );
  });

  it("gives each capacity level, the largest one held with zero failures and the cost per call", () => {
    expect(lines).toContain("| idle | 0 | 0 | 0 |  | 0.0 % / 50 MB (100 MB) | 1.0 % / 50 MB (100 MB) | 2.0 % / 800 MB (1600 MB) | 5.0 % |");
    expect(lines).toContain("| 4 | 4.0 | 7 | 0 | 750 ms / 795 ms | 8.0 % / 70 MB (140 MB) | 5.0 % / 90 MB (180 MB) | 42.0 % / 1400 MB (2800 MB) | 65.0 % |");
    expect(lines).toContain("| 6 | 5.5 | 10 | 1 |  | 12.0 % / 80 MB (160 MB) | 8.0 % / 100 MB (200 MB) | 70.0 % / 1800 MB (3600 MB) | 190.0 % |");
    expect(report).toContain("Failed calls: cap-12 (level 6): held 9.0 s of 20 s.");
    expect(report).toContain("**Largest level held: 4 concurrent calls** with zero failures (4.0 up on average during the window).");
    // Memory per call is proportional (what the machine holds), resident beside it.
    expect(lines).toContain("| server | CPU per call | memory per call (PSS) | RSS per call |");
    expect(lines).toContain("| livekit-sip | 2.0 % | 5 MB | 10 MB |");
    expect(lines).toContain("| worker | 10.0 % | 150 MB | 300 MB |");
    expect(lines).toContain("| **all three** | **13.0 %** | **165 MB** | 330 MB |");
    expect(report).toContain(
      "starting one costs 0.80 CPU-seconds (measured on the idle pool). With 20 s calls that is 4.0 % of the worker's per-call CPU above",
    );
    expect(report).toContain("all three servers take about 9.0 % + 0.80 CPU-s ÷ call length.");
  });

  it("turns the cost per call into concurrent calls per GCE machine type, labelled as an extrapolation", () => {
    expect(report).toContain("## Sizing (extrapolated)");
    expect(report).toContain("This extrapolates a measurement on this 2-core machine to other vCPUs one for one");
    expect(lines).toContain("| machine type | vCPUs | memory | calls (20 s calls, as measured) | calls (3-min calls) | limited by |");
    expect(lines).toContain("| n2-standard-4 | 4 | 16 GB | 18 | 25 | cpu |");
  });

  it("gives the offline plan's time", () => {
    expect(lines).toContain("| 6500 ms | 6000 ms | 7000 ms |");
  });

  it("points at the two-node part's own file", () => {
    expect(report).toContain("## Two nodes\n\nOpt-in, not in this file: `npm run bench -- --only two-node`");
    expect(report).toContain("[two-node.md](two-node.md)");
  });

  it("warns when other work kept the machine busy while the stack was idle", () => {
    expect(report).not.toContain("Warning: other work");
    const shared = renderReport({ ...results, capacity: { ...capacity, idleMachineCores: 1.2 } });
    expect(shared).toContain("**Warning: other work kept 117.0 % of the machine busy while the stack was idle;");
  });

  it("says which parts did not run, and when no level held", () => {
    const partial = renderReport({ ...results, setup: undefined, inbound: undefined, plan: undefined, capacity: { ...capacity, held: undefined } });
    expect(partial).toContain("## Call setup\n\nNot run.");
    expect(partial).toContain("| outbound: not run (part `setup`) |");
    expect(partial).toContain("| inbound: not run (part `inbound`) |");
    expect(partial).toContain("## Offline plan\n\nNot run.");
    expect(partial).toContain("**No level was held.**");
  });
});
