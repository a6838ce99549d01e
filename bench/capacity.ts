/**
 * Concurrent calls the local stack holds: a stepped ramp of steady-state load through the worker.
 * At a level of L calls, a call is dispatched every hold/L ms, so once the first hold has passed
 * about L calls are up at any moment (each ending call is replaced by a new one, job process start
 * included, as in production). CPU and memory of each server are sampled over a window at that
 * plateau; then the next level starts. The ramp stops at the first failed call.
 */
import type { AgentDispatchClient, RoomServiceClient } from "livekit-server-sdk";
import type { Carrier } from "../test/harness/carrier";
import type { AgentWorker } from "../test/harness/worker";
import { type CapacityResult, type LevelResult, MEASURED_SERVERS, type MeasuredServer, countShares, heldLevel } from "./capacity-result";
import { type CallInterval, type CallVerdict, averageConcurrency, judgeCapacityCall } from "./call-verdict";
import { callIdsByNumber, dialersByNumber, hangups } from "./carrier-log";
import { benchNumber } from "./phone-numbers";
import { availableParallelism } from "node:os";
import { clockTicksPerSecond, readCmdline, readMachineCpu, sampleTrees, uptimeSeconds } from "./proc-reader";
import { type TreeSample, type Usage, cpuSecondsBetween, machineBusyCores, startCpuSeconds, sumUsage, usageBetween } from "./process-usage";
import { summarize } from "./stats";
import { nowMs, sleep } from "./wait-for";
import { type WorkerCallEnd, callEvent, lineTime, workerCallEnd } from "./worker-log";

/** One voice node the ramp loads: its servers' process trees, its API, and the worker registered with it. */
export interface CapacityNode {
  /** `node-a`, `node-b`, or `local` for the one-node stack. */
  name: string;
  /** Process-group leaders to sample, by server. */
  pids: Record<MeasuredServer, number>;
  /** The SIP address its livekit-sip dials from (the carrier sees it in the INVITE's Via). */
  sipHost: string;
  rooms: RoomServiceClient;
  dispatch: AgentDispatchClient;
  worker: AgentWorker;
}

/** What the ramp runs on: one or more nodes dialing one carrier; calls are dispatched through the nodes' APIs in turn. */
export interface CapacityTarget {
  nodes: readonly CapacityNode[];
  carrier: Carrier;
}

/** How the ramp is shaped. */
export interface CapacityOptions {
  /** Target concurrent calls of each step, ascending. */
  levels: number[];
  /** How long the carrier holds each call, ms (sipp -d). */
  holdMs: number;
  /** Margin after the first hold before sampling, for setup time, ms. */
  settleMs: number;
  /** Sampling window at each plateau, ms. */
  windowMs: number;
  /** Quiet time before the idle sampling (the worker's idle job processes finish starting), ms. */
  quietMs: number;
  /** Idle sampling before the ramp, ms. */
  idleMs: number;
  /** A call not answered this long after dispatch has failed, ms. */
  answerTimeoutMs: number;
  /** No step starts that could not end before this epoch-ms deadline. */
  deadlineMs: number;
  /** What starting a call group process cost, measured on the fresh stack ({@link measureProcessStart}). */
  processStartCpuSeconds?: number;
}

// The worker runs its calls in processes started from this script.
const CALL_GROUP_SCRIPT = "call-group-process";

/**
 * What starting a call group process costs, from the worker's idle (pre-started) ones sampled at
 * the start and end of the idle phase: their CPU so far minus what they use while idle.
 */
function processStart(before: TreeSample, after: TreeSample, ticks: number): number | undefined {
  const idleJobs = (sample: TreeSample) => ({
    atMs: sample.atMs,
    processes: sample.processes.filter((p) => readCmdline(p.pid).includes(CALL_GROUP_SCRIPT)),
  });
  const [first, last] = [idleJobs(before), idleJobs(after)];
  const lasting = { atMs: last.atMs, processes: last.processes.filter((p) => first.processes.some((q) => q.pid === p.pid)) };
  if (lasting.processes.length === 0) return undefined;
  const idleCores = cpuSecondsBetween(first, lasting, ticks) / ((last.atMs - first.atMs) / 1000) / lasting.processes.length;
  return startCpuSeconds(lasting.processes, idleCores, uptimeSeconds(), ticks);
}

/**
 * What starting a call group process costs, on a stack that has taken no call yet (later, its
 * processes' CPU includes the calls they served): after `quietMs` for the worker's first one to
 * start, its CPU so far minus its idle use over `idleMs`. Every node's worker starts them alike;
 * the first node's measures it.
 */
export async function measureProcessStart(target: CapacityTarget, options: Pick<CapacityOptions, "quietMs" | "idleMs">): Promise<number | undefined> {
  const ticks = clockTicksPerSecond();
  await sleep(options.quietMs);
  const before = sampleNodes(target)[0].worker;
  await sleep(options.idleMs);
  return processStart(before, sampleNodes(target)[0].worker, ticks);
}

/** A capacity call as the run tracks it. */
interface TrackedCall {
  callId: string;
  number: string;
  step: number;
  dispatchedAt: number;
  outcome?: string;
  answeredAt?: number;
  end?: WorkerCallEnd;
  hangupBy?: "carrier" | "livekit-sip";
  /** The node whose livekit-sip sent the carrier the INVITE. */
  dialedBy?: string;
  /** The node whose worker took the job. */
  workerOf?: string;
  dispatchError?: string;
  verdict: CallVerdict;
}

function mapServers<T>(f: (server: MeasuredServer) => T): Record<MeasuredServer, T> {
  return Object.fromEntries(MEASURED_SERVERS.map((s) => [s, f(s)])) as Record<MeasuredServer, T>;
}

async function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - nowMs();
  if (wait > 0) await sleep(wait);
}

/** Reads the workers' and the carrier's logs once and updates every unsettled call. */
function observe(target: CapacityTarget, calls: readonly TrackedCall[], options: CapacityOptions): void {
  const linesByNode = target.nodes.map((node) => ({ name: node.name, lines: node.worker.lines() }));
  const lines = linesByNode.flatMap((n) => n.lines);
  const messages = target.carrier.messages();
  const byes = hangups(messages);
  const callIds = callIdsByNumber(messages);
  const dialers = dialersByNumber(messages);
  const limits = { holdMs: options.holdMs, answerTimeoutMs: options.answerTimeoutMs, toleranceMs: 1_500 };
  for (const call of calls) {
    if (call.verdict.state !== "pending") continue;
    if (call.dispatchError !== undefined) {
      call.verdict = { state: "failed", reason: `dispatch failed: ${call.dispatchError}` };
      continue;
    }
    const outcome = callEvent(lines, "call.outcome", call.callId);
    if (outcome) {
      call.outcome = String(outcome.outcome);
      call.answeredAt = lineTime(outcome);
    }
    call.workerOf ??= linesByNode.find((n) => callEvent(n.lines, "call.outcome", call.callId))?.name;
    const dialer = dialers.get(call.number);
    call.dialedBy ??= target.nodes.find((node) => node.sipHost === dialer)?.name;
    call.end = workerCallEnd(lines, call.callId);
    const sipCallId = callIds.get(call.number);
    call.hangupBy = sipCallId === undefined ? undefined : byes.get(sipCallId);
    call.verdict = judgeCapacityCall(
      {
        outcome: call.outcome,
        setupMs: call.answeredAt === undefined ? undefined : call.answeredAt - call.dispatchedAt,
        elapsedMs: nowMs() - call.dispatchedAt,
        end: call.end,
        hangupBy: call.hangupBy,
      },
      limits,
    );
  }
}

/** Dispatches one call to `node`'s worker, under the name it registered, through the node's API; a failed API call is recorded, never thrown. */
function dispatchCall(node: CapacityNode, call: TrackedCall): void {
  const room = `bench-${call.callId}`;
  node.rooms
    .createRoom({ name: room })
    .then(() =>
      node.dispatch.createDispatch(room, node.worker.agentName, {
        metadata: JSON.stringify({ phone_number: call.number, call_id: call.callId }),
      }),
    )
    .catch((error: unknown) => {
      call.dispatchError = error instanceof Error ? error.message : String(error);
    });
}

/** The intervals calls were up (answered → ended; still up: to `now`). */
function intervalsOf(calls: readonly TrackedCall[], now: number): CallInterval[] {
  return calls.flatMap((c) => {
    if (c.outcome !== "answered" || c.answeredAt === undefined) return [];
    return [{ from: c.answeredAt, to: c.end ? c.answeredAt + c.end.durationSeconds * 1000 : now }];
  });
}

type NodeUsage = Record<MeasuredServer, Usage>[];

/** Every node's servers' trees, one pass over /proc. */
function sampleNodes(target: CapacityTarget): Record<MeasuredServer, TreeSample>[] {
  const all = sampleTrees(Object.fromEntries(target.nodes.flatMap((node, i) => MEASURED_SERVERS.map((s) => [`${i}:${s}`, node.pids[s]]))));
  return target.nodes.map((_, i) => mapServers((s) => all[`${i}:${s}`]));
}

function usageOfNodes(before: Record<MeasuredServer, TreeSample>[], after: Record<MeasuredServer, TreeSample>[], ticks: number): NodeUsage {
  return before.map((node, i) => mapServers((s) => usageBetween(node[s], after[i][s], ticks)));
}

/** All nodes' usage of each server together. */
function totalOf(byNode: NodeUsage): Record<MeasuredServer, Usage> {
  return mapServers((s) => sumUsage(byNode.map((node) => node[s])));
}

/**
 * Runs the ramp on a running stack of one or more nodes: calls are dispatched through the nodes'
 * APIs in turn (as a load balancer spreads backends). `progress` gets a line per step. Calls still
 * up when the ramp stops are waited for (and judged) before returning, so the stack is idle again
 * afterwards.
 */
export async function runCapacity(target: CapacityTarget, options: CapacityOptions, progress: (line: string) => void): Promise<CapacityResult> {
  const ticks = clockTicksPerSecond();
  await sleep(options.quietMs);
  const cores = availableParallelism();
  const [idleStart, idleMachineStart] = [sampleNodes(target), readMachineCpu()];
  await sleep(options.idleMs);
  const [idleEnd, idleMachineEnd] = [sampleNodes(target), readMachineCpu()];
  const idleByNode = usageOfNodes(idleStart, idleEnd, ticks);
  const idleMachineCores = machineBusyCores(idleMachineStart, idleMachineEnd, cores);

  const calls: TrackedCall[] = [];
  const windows: { target: number; start: number; end: number; usageByNode: NodeUsage; machineCores: number }[] = [];
  const anyFailed = () => calls.some((c) => c.verdict.state === "failed");
  const stepMs = options.holdMs + options.settleMs + options.windowMs;
  let stoppedBecause = `reached the highest level configured (${options.levels[options.levels.length - 1]} calls)`;

  for (const [step, level] of options.levels.entries()) {
    if (nowMs() + stepMs > options.deadlineMs) {
      stoppedBecause = `time budget: a step of ${level} calls would not end before the deadline`;
      break;
    }
    const stepStart = nowMs();
    const windowStart = stepStart + options.holdMs + options.settleMs;
    const windowEnd = windowStart + options.windowMs;
    const interval = options.holdMs / level;
    const arrivals = (async () => {
      for (let at = stepStart; at < windowEnd && !anyFailed(); at += interval) {
        await sleepUntil(at);
        const index = calls.length;
        const call: TrackedCall = {
          callId: `cap-${index}`,
          number: benchNumber("capacity", index),
          step,
          dispatchedAt: nowMs(),
          verdict: { state: "pending" },
        };
        calls.push(call);
        dispatchCall(target.nodes[index % target.nodes.length], call);
      }
    })();
    const watching = (async () => {
      while (nowMs() < windowEnd && !anyFailed()) {
        observe(target, calls, options);
        await sleep(500);
      }
    })();
    await sleepUntil(windowStart);
    const [before, machineBefore] = [sampleNodes(target), readMachineCpu()];
    await sleepUntil(windowEnd);
    const [after, machineAfter] = [sampleNodes(target), readMachineCpu()];
    await Promise.all([arrivals, watching]);
    windows.push({
      target: level,
      start: windowStart,
      end: windowEnd,
      usageByNode: usageOfNodes(before, after, ticks),
      machineCores: machineBusyCores(machineBefore, machineAfter, cores),
    });
    observe(target, calls, options);
    const failed = calls.filter((c) => c.verdict.state === "failed").length;
    progress(`  ${level} calls: ${calls.filter((c) => c.step === step).length} dispatched, ${failed} failed so far`);
    if (failed > 0) {
      stoppedBecause = `a call failed at ${level} target concurrent calls`;
      break;
    }
  }

  // Let every call end (the carrier hangs up after the hold) and judge it.
  const drainDeadline = nowMs() + options.holdMs + options.answerTimeoutMs + 15_000;
  while (calls.some((c) => c.verdict.state === "pending") && nowMs() < drainDeadline) {
    await sleep(1_000);
    observe(target, calls, options);
  }
  for (const call of calls) {
    if (call.verdict.state === "pending") call.verdict = { state: "failed", reason: "never ended (no call.ended from the worker)" };
  }

  const now = nowMs();
  const intervals = intervalsOf(calls, now);
  const levels: LevelResult[] = windows.map((window, step) => {
    const ofStep = calls.filter((c) => c.step === step);
    const setups = ofStep.flatMap((c) => (c.answeredAt === undefined ? [] : [c.answeredAt - c.dispatchedAt]));
    return {
      target: window.target,
      concurrency: averageConcurrency(intervals, window.start, window.end),
      calls: ofStep.length,
      failures: ofStep.flatMap((c) => (c.verdict.state === "failed" ? [{ callId: c.callId, reason: c.verdict.reason }] : [])),
      ...(setups.length > 0 ? { setup: summarize(setups) } : {}),
      usage: totalOf(window.usageByNode),
      usageByNode: window.usageByNode,
      machineCores: window.machineCores,
    };
  });
  const firstFailed = levels.findIndex((l) => l.failures.length > 0);
  if (firstFailed >= 0) stoppedBecause = `a call failed at ${levels[firstFailed].target} target concurrent calls`;
  return {
    nodes: target.nodes.map((node) => node.name),
    idle: totalOf(idleByNode),
    idleByNode,
    idleMachineCores,
    levels,
    held: heldLevel(levels),
    stoppedBecause,
    holdMs: options.holdMs,
    answerTimeoutMs: options.answerTimeoutMs,
    dialedBy: countShares(calls.map((c) => c.dialedBy)),
    workerOf: countShares(calls.map((c) => c.workerOf)),
    ...(options.processStartCpuSeconds === undefined ? {} : { processStartCpuSeconds: options.processStartCpuSeconds }),
  };
}
