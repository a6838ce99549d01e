/**
 * The benchmark's results as markdown (bench/results/latest.md). Pure.
 */
import { type CapacityResult, HELD_SHARE, MEASURED_SERVERS, UNSATURATED_SHARE, costLevel } from "./capacity-result";
import type { CallSetupOptions, CallSetupResult, FailedSetupCall } from "./call-setup";
import type { InboundAudioOptions, InboundAudioResult } from "./inbound-audio";
import type { MachineInfo } from "./machine";
import { type Usage, perCall } from "./process-usage";
import { DIRECT_PHASES, type SetupSample, WORKER_PHASES } from "./setup-sample";
import { SLOTS_PER_PROCESS_LIFETIME } from "../worker/src/call-group-plan";
import { CPU_HEADROOM, MACHINE_TYPES, RESERVED_MEMORY_MB, measuredCost, sizeMachine, startCpuSecondsPerCall } from "./sizing";
import { type Summary, summarize, summaryRatio } from "./stats";

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  /** When the run started. */
  startedAt: Date;
  /** Wall-clock length of the whole run, ms. */
  durationMs: number;
  machine: MachineInfo;
  /** Call setup, when run. */
  setup?: { options: CallSetupOptions; worker: SetupSample[]; direct: SetupSample[]; answerToAudio: CallSetupResult["answerToAudio"]; failures: FailedSetupCall[] };
  /** Inbound INVITE to first audio, when run. */
  inbound?: { options: InboundAudioOptions } & InboundAudioResult;
  /** The AI provider keys set in the benchmark's environment (names only). */
  aiKeys: string[];
  /** The capacity ramp, when run. */
  capacity?: CapacityResult;
  /** Offline plan timings, when run. */
  plan?: { stack: string; timings: Summary };
}

const ms = (value: number) => `${Math.round(value)} ms`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
export const percentOfCore = (cores: number) => `${(cores * 100).toFixed(1)} %`;
export const megabytes = (mb: number) => `${Math.round(mb)} MB`;
/** A server's CPU and memory in a table cell: `CPU / PSS (RSS)`. */
export const usageCell = (usage: Usage) => `${percentOfCore(usage.cpuCores)} / ${megabytes(usage.pssMb)} (${megabytes(usage.rssMb)})`;
export const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
export const header = (cells: readonly string[]) => [row(cells), row(cells.map(() => "---"))];

/** The run's machine, load, commit and length, and the servers' versions. */
export function machineSection(results: Pick<BenchResults, "startedAt" | "durationMs" | "machine">): string[] {
  const m = results.machine;
  return [
    `Run ${results.startedAt.toISOString().replace(/\.\d+Z$/, "Z")} on ${m.cores} cores (${m.cpuModel}), ` +
      `${m.memoryGb.toFixed(1)} GB RAM, Linux ${m.kernel}; 1-minute load average at start ${m.loadAverage.toFixed(2)}; ` +
      `commit ${m.commit}; the whole run took ${(results.durationMs / 60_000).toFixed(1)} min.`,
    "",
    ...header(["component", "version"]),
    ...Object.entries(m.versions).map(([name, version]) => row([name, version])),
  ];
}

function phaseRows(samples: readonly SetupSample[], phases: readonly string[], prefix: string): string[] {
  return phases.map((phase) => {
    const s = summarize(samples.map((x) => x.phases[phase]));
    return row([`${prefix}: ${phase}`, ms(s.p50), ms(s.p95)]);
  });
}

function setupSection(setup: NonNullable<BenchResults["setup"]>): string[] {
  const [dispatch] = WORKER_PHASES;
  // The worker's path without livekit-server's choice of a worker: from the job reaching the worker.
  const fromJob = setup.worker.map((s) => ({ toInviteMs: s.toInviteMs - s.phases[dispatch], toAnsweredMs: s.toAnsweredMs - s.phases[dispatch] }));
  const pathRow = (label: string, samples: readonly Pick<SetupSample, "toInviteMs" | "toAnsweredMs">[]) => {
    const invite = summarize(samples.map((s) => s.toInviteMs));
    const answered = summarize(samples.map((s) => s.toAnsweredMs));
    return { label, invite, answered, cells: [label, ms(invite.p50), ms(invite.p95), ms(answered.p50), ms(answered.p95)] };
  };
  const worker = pathRow("through the worker", setup.worker);
  const workerFromJob = pathRow("through the worker, from the job's arrival", fromJob);
  const direct = pathRow("direct CreateSIPParticipant", setup.direct);
  const ratioRow = (label: string, of: typeof worker) => {
    const invite = summaryRatio(of.invite, direct.invite);
    const answered = summaryRatio(of.answered, direct.answered);
    return row([label, ratio(invite.p50), ratio(invite.p95), `**${ratio(answered.p50)}**`, `**${ratio(answered.p95)}**`]);
  };
  return [
    `## Call setup`,
    "",
    `${setup.worker.length} calls per path, interleaved (worker, direct, worker, …) one at a time, ` +
      `${setup.options.gapMs} ms apart, after ${setup.options.warmup} uncounted warm-up calls per path. The carrier ` +
      "(sipp, digest auth) rings and answers at once, so these are the stack's own delays; a real callee adds ringing time. " +
      "Worker: from `CreateDispatch` to the carrier's first INVITE, and to the worker's `call.outcome` answered. " +
      "Direct: from `CreateSIPParticipant` (wait until answered) on the same trunk to the INVITE, and to its return.",
    "",
    ...header(["path", "→ INVITE p50", "→ INVITE p95", "→ answered p50", "→ answered p95"]),
    row(worker.cells),
    row(direct.cells),
    ratioRow("**ratio worker / direct**", worker),
    row(workerFromJob.cells),
    ratioRow("ratio worker from the job's arrival / direct", workerFromJob),
    "",
    "Where the time goes (each phase's own p50 and p95, so they do not add up exactly):",
    "",
    ...header(["phase", "p50", "p95"]),
    ...phaseRows(setup.worker, WORKER_PHASES, "worker"),
    ...phaseRows(setup.direct, DIRECT_PHASES, "direct"),
    "",
    `The first phase is livekit-server's, whatever the worker does: it hands every agent job out through psrpc's ` +
      "affinity selection, which after the first worker's claim waits 200 ms for better ones (psrpc " +
      "`DefaultAffinityShortCircuit`, used by livekit-server's agent `JobRequest`). The ratio through the worker " +
      "therefore includes that fixed wait; the row from the job's arrival shows the worker's own share.",
    "",
    setup.failures.length === 0
      ? "Every call was answered."
      : `Calls not answered (left out and replaced): ${setup.failures.map((f) => `${f.path} #${f.index}: ${f.error}`).join("; ")}.`,
  ];
}

/** A row of a path against its floor: p50 and p95 of each, and their ratios. */
function againstFloor(label: string, values: readonly number[], floor: readonly number[]): string {
  const path = summarize(values);
  const base = summarize(floor);
  const r = summaryRatio(path, base);
  return row([label, ms(path.p50), ms(path.p95), ms(base.p50), ms(base.p95), `**${ratio(r.p50)}**`, `**${ratio(r.p95)}**`]);
}

function firstAudioSection(results: BenchResults): string[] {
  const { setup, inbound } = results;
  const lines = [
    "## What the caller hears",
    "",
    "Time to the first audible agent audio (a G.711 packet with any sample beyond about -50 dBFS) where the phone side " +
      "receives it, against a floor: the same call with nothing agent-like in the way, a participant already in the room " +
      "publishing a tone (@livekit/rtc-node in the benchmark's process). The carrier's media is handled by the " +
      "benchmark's RTP endpoint (the carrier's SDP answer offers it instead of sipp's), which echoes livekit-sip's audio " +
      "back as sipp did and timestamps each stream's first audible packet; sipp's own echo keeps no times.",
    "",
    ...header(["path", "p50", "p95", "floor p50", "floor p95", "ratio p50", "ratio p95"]),
  ];
  if (setup && setup.answerToAudio.worker.length > 0 && setup.answerToAudio.direct.length > 0) {
    lines.push(againstFloor("outbound: callee's answer (carrier's 200 OK) → first audio at the carrier", setup.answerToAudio.worker, setup.answerToAudio.direct));
  } else {
    lines.push(row(["outbound: not run (part `setup`)", "", "", "", "", "", ""]));
  }
  if (inbound && inbound.worker.length > 0 && inbound.floor.length > 0) {
    lines.push(againstFloor("inbound: carrier's INVITE → first audio at the carrier", inbound.worker, inbound.floor));
  } else {
    lines.push(row(["inbound: not run (part `inbound`)", "", "", "", "", "", ""]));
  }
  lines.push(
    "",
    "Outbound: the call-setup calls above (the worker's, and the direct CreateSIPParticipant calls into a room where the tone " +
      "publisher waits). Inbound: sipp sends the INVITE from the carrier's address to livekit-sip, as Twilio's origination " +
      "does, and a Node RTP endpoint plays the caller; through the worker, the project's inbound trunk and dispatch rule " +
      "(a room per call, the agent dispatched into it, answered once the agent is in); the floor, a second inbound trunk whose " +
      "direct dispatch rule sends calls into the tone publisher's room (livekit-sip answers once it has joined).",
  );
  if (inbound) {
    lines.push(
      "",
      `Inbound: ${inbound.worker.length} calls per path, interleaved one at a time, ${inbound.options.gapMs} ms apart, after ` +
        `${inbound.options.warmup} uncounted warm-up calls per path. ` +
        (inbound.failures.length === 0
          ? "Every call was answered and heard."
          : `Calls left out and replaced: ${inbound.failures.map((f) => `${f.path} #${f.index}: ${f.error}`).join("; ")}.`),
    );
  }
  lines.push(
    "",
    results.aiKeys.length === 0
      ? "The AI pipeline's own share: skipped, no OPENAI_API_KEY or DEEPGRAM_API_KEY in the environment; the worker played its greeting tone."
      : `The AI pipeline's own share: not measured. ${results.aiKeys.join(" and ")} ${results.aiKeys.length === 1 ? "is" : "are"} set, but the ` +
        "benchmark's worker runs without provider keys (the harness never passes them), so it played its greeting tone.",
  );
  return lines;
}

// Machine CPU beyond the idle stack's (sipp, this benchmark and other processes) above which the run counts as shared.
const OTHER_WORK_WARNING_CORES = 0.25;

/** The ramp's levels, per-call cost at the level held and why it stopped, under `title`. */
export function capacitySection(capacity: CapacityResult, cores: number, title = "## Concurrent calls"): string[] {
  const lines = [
    title,
    "",
    `Stepped ramp through the worker: at a level of L calls one call is dispatched every ${capacity.holdMs / 1000}/L s and ` +
      `the carrier holds each for ${capacity.holdMs / 1000} s with RTP both ways (the carrier's endpoint echoes livekit-sip's audio back), ` +
      "so about L calls are up at once, new calls replacing ending ones. CPU and resident memory " +
      "of each server's process tree are sampled over a window at each plateau. A call fails when it is not answered within " +
      `${capacity.answerTimeoutMs / 1000} s of dispatch, is hung up by livekit-sip (media timeout) or ends early, or the ` +
      `worker hears no audio from it. A level is held when none of its calls failed and at least ${HELD_SHARE * 100} % of its ` +
      "target was up on average (below that, calls wait for the worker and set-up times grow).",
    "",
    ...header(["level", "calls up (avg)", "dispatched", "failed", "setup p50 / p95", ...MEASURED_SERVERS.map((s) => `${s} CPU / PSS (RSS)`), "whole machine CPU"]),
    row([
      "idle",
      "0",
      "0",
      "0",
      "",
      ...MEASURED_SERVERS.map((s) => usageCell(capacity.idle[s])),
      percentOfCore(capacity.idleMachineCores),
    ]),
    ...capacity.levels.map((level) =>
      row([
        String(level.target),
        level.concurrency.toFixed(1),
        String(level.calls),
        String(level.failures.length),
        level.setup ? `${ms(level.setup.p50)} / ${ms(level.setup.p95)}` : "",
        ...MEASURED_SERVERS.map((s) => usageCell(level.usage[s])),
        percentOfCore(level.machineCores),
      ]),
    ),
    "",
    "CPU is in % of one core (100 % = one core busy). The whole machine's CPU counts every process (the stack, sipp, " +
      "this benchmark with the carrier's RTP endpoint, and any other work on the machine): far above the three servers' sum means the run shared the machine. " +
      "Memory is each tree's proportional set size (PSS: a page mapped by n processes counts 1/n to each, so it adds up to what the machine holds), " +
      "its resident set size (RSS: shared pages counted in full in every process) in brackets; the worker's processes share Node's and the native libraries' pages.",
    "",
  ];
  const otherIdle = capacity.idleMachineCores - MEASURED_SERVERS.reduce((sum, server) => sum + capacity.idle[server].cpuCores, 0);
  if (otherIdle > OTHER_WORK_WARNING_CORES) {
    lines.push(
      `**Warning: other work kept ${percentOfCore(otherIdle)} of the machine busy while the stack was idle; the levels ` +
        "below shared the machine with it, so they understate what the stack holds. Rerun on a quiet machine.**",
      "",
    );
  }
  const failures = capacity.levels.flatMap((l) => l.failures.map((f) => `${f.callId} (level ${l.target}): ${f.reason}`));
  if (failures.length > 0) lines.push(`Failed calls: ${failures.slice(0, 10).join("; ")}${failures.length > 10 ? `; … (${failures.length} in all)` : ""}.`, "");
  lines.push(`The ramp stopped: ${capacity.stoppedBecause}.`, "");
  const held = capacity.held;
  if (!held) {
    lines.push("**No level was held.**");
    return lines;
  }
  const { level: cost, isHeld } = costLevel(capacity, cores)!;
  lines.push(
    `**Largest level held: ${held.target} concurrent calls** with zero failures (${held.concurrency.toFixed(1)} up on average during the window).`,
    "",
    isHeld
      ? `Per call at that level (the level's usage minus idle, divided by the ${cost.concurrency.toFixed(1)} calls up):`
      : `Per call at ${cost.target} calls, the highest level held with the whole machine below ${UNSATURATED_SHARE * 100} % of its ` +
          `${cores} cores (above it processes wait for a core, and the servers' CPU is what they got, not what the calls need; ` +
          `the machine was at ${percentOfCore(held.machineCores)} at ${held.target}): the level's usage minus idle, divided by the ` +
          `${cost.concurrency.toFixed(1)} calls up:`,
    "",
    ...header(["server", "CPU per call", "memory per call (PSS)", "RSS per call"]),
  );
  let cpuTotal = 0;
  let memoryTotal = 0;
  let residentTotal = 0;
  for (const server of MEASURED_SERVERS) {
    const one = perCall(capacity.idle[server], cost.usage[server], cost.concurrency);
    cpuTotal += one.cpuCores;
    memoryTotal += one.pssMb;
    residentTotal += one.rssMb;
    lines.push(row([server, percentOfCore(one.cpuCores), megabytes(one.pssMb), megabytes(one.rssMb)]));
  }
  lines.push(row(["**all three**", `**${percentOfCore(cpuTotal)}**`, `**${megabytes(memoryTotal)}**`, megabytes(residentTotal)]));
  const start = capacity.processStartCpuSeconds;
  if (start !== undefined) {
    lines.push(
      "",
      `The worker runs its calls in call group processes, several calls each (CALLS_PER_PROCESS), started ahead of time; ` +
        `starting one costs ${start.toFixed(2)} CPU-seconds (measured on the idle one), and it serves ${SLOTS_PER_PROCESS_LIFETIME} calls ` +
        `before it retires: ${startCpuSecondsPerCall({ processStartCpuSeconds: start, callsPerProcessLifetime: SLOTS_PER_PROCESS_LIFETIME }).toFixed(3)} CPU-s per call. ` +
        "A call no longer waits for a process of its own to start.",
    );
  }
  return lines;
}

// Average call length the second sizing column assumes.
const TYPICAL_CALL_SECONDS = 180;

function sizingSection(capacity: CapacityResult, cores: number): string[] {
  const cost = measuredCost(capacity, cores);
  if (!cost) return ["## Sizing (extrapolated)", "", "No level was held, so there is nothing to size from."];
  const holdSeconds = capacity.holdMs / 1000;
  return [
    "## Sizing (extrapolated)",
    "",
    `From the per-call cost above (all three servers: ${percentOfCore(cost.heldCallCores)} of a core per call once up, ` +
      `${startCpuSecondsPerCall(cost).toFixed(3)} CPU-s of process start, ${megabytes(cost.memoryPerCallMb)}; idle stack ` +
      `${percentOfCore(cost.idleCores)} and ${megabytes(cost.idleMemoryMb)}), keeping ${CPU_HEADROOM * 100} % of the CPU free and ` +
      `${RESERVED_MEMORY_MB} MB for the OS, Docker, Caddy and Redis. This extrapolates a measurement on this ${cores}-core machine ` +
      "to other vCPUs one for one. The greeting pipeline was measured, so an AI voice pipeline needs more CPU per call.",
    "",
    ...header(["machine type", "vCPUs", "memory", `calls (${holdSeconds} s calls, as measured)`, `calls (${TYPICAL_CALL_SECONDS / 60}-min calls)`, "limited by"]),
    ...MACHINE_TYPES.map((machine) => {
      const short = sizeMachine(machine, cost, holdSeconds);
      const typical = sizeMachine(machine, cost, TYPICAL_CALL_SECONDS);
      return row([machine.name, String(machine.vcpus), `${machine.memoryGb} GB`, String(short.calls), String(typical.calls), typical.limit === short.limit ? short.limit : `${short.limit} / ${typical.limit}`]);
    }),
  ];
}

function planSection(plan: NonNullable<BenchResults["plan"]>): string[] {
  return [
    "## Offline plan",
    "",
    `\`npm run plan -- --stack ${plan.stack}\` (the whole program under the mock runtime, files written), ${plan.timings.count} runs:`,
    "",
    ...header(["p50", "min", "max"]),
    row([ms(plan.timings.p50), ms(plan.timings.min), ms(plan.timings.max)]),
  ];
}

// The two-node part writes its own file (two-node.md): latest.md only points at it.
const TWO_NODE_POINTER = [
  "## Two nodes",
  "",
  "Opt-in, not in this file: `npm run bench -- --only two-node` runs the same ramp on two voice nodes sharing this machine, " +
    "beside a one-node ramp, and writes [two-node.md](two-node.md).",
];

/** Renders the results file: machine and versions, then each part that ran. */
export function renderReport(results: BenchResults): string {
  const sections = [
    ["# Benchmark results (`npm run bench`)", "", ...machineSection(results)],
    results.setup ? setupSection(results.setup) : ["## Call setup", "", "Not run."],
    firstAudioSection(results),
    results.capacity ? capacitySection(results.capacity, results.machine.cores) : ["## Concurrent calls", "", "Not run."],
    ...(results.capacity ? [sizingSection(results.capacity, results.machine.cores)] : []),
    TWO_NODE_POINTER,
    results.plan ? planSection(results.plan) : ["## Offline plan", "", "Not run."],
  ];
  return `${sections.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}
