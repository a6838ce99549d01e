/**
 * What the capacity ramp measured, and which level counts as held. Pure.
 */
import type { Usage } from "./process-usage";
import type { Summary } from "./stats";

/** The servers whose CPU and memory the benchmark reports. */
export const MEASURED_SERVERS = ["livekit-sip", "livekit-server", "worker"] as const;

/** One of {@link MEASURED_SERVERS}. */
export type MeasuredServer = (typeof MEASURED_SERVERS)[number];

/**
 * Share of a level's target that must actually be up during its window for the level to count as
 * held: below it, calls queue for job processes faster than they end, and set-up times grow.
 */
export const HELD_SHARE = 0.9;

/** What one step measured. */
export interface LevelResult {
  /** Target concurrent calls. */
  target: number;
  /** Calls actually up during the sampling window, time-weighted average. */
  concurrency: number;
  /** Calls dispatched during the step. */
  calls: number;
  /** Calls of the step that failed, with why. */
  failures: { callId: string; reason: string }[];
  /** Dispatch → answered of the step's answered calls. */
  setup?: Summary;
  /** Each server's CPU and memory over the window, all nodes together. */
  usage: Record<MeasuredServer, Usage>;
  /** The same per node, in {@link CapacityResult.nodes}' order. */
  usageByNode: Record<MeasuredServer, Usage>[];
  /** Cores the whole machine kept busy over the window (the stack, sipp, the benchmark and anything else). */
  machineCores: number;
}

/** The whole ramp. */
export interface CapacityResult {
  /** The nodes loaded (calls dispatched through their APIs in turn). */
  nodes: string[];
  /** Each server before any call, all nodes together. */
  idle: Record<MeasuredServer, Usage>;
  /** The same per node, in {@link nodes}' order. */
  idleByNode: Record<MeasuredServer, Usage>[];
  /** Cores the whole machine kept busy while the stack was idle. */
  idleMachineCores: number;
  /** Steps run, in order. */
  levels: LevelResult[];
  /** The largest step held: zero failed calls and at least {@link HELD_SHARE} of the target up (every step below it held too). */
  held?: LevelResult;
  /** Why the ramp ended. */
  stoppedBecause: string;
  /** Hold time per call, ms. */
  holdMs: number;
  /** A call not answered this long after dispatch failed, ms. */
  answerTimeoutMs: number;
  /** Calls of the whole ramp by the node whose livekit-sip dialed them (the carrier saw the INVITE from its address); unknown ones left out. */
  dialedBy: Record<string, number>;
  /** Calls of the whole ramp by the node whose worker took the job; unknown ones left out. */
  workerOf: Record<string, number>;
  /** CPU seconds one call group process takes to start (LiveKit Agents loading), from the idle one. */
  processStartCpuSeconds?: number;
}

/** The largest level held: it and every level below it had no failed call and at least {@link HELD_SHARE} of its target up. */
export function heldLevel(levels: readonly LevelResult[]): LevelResult | undefined {
  const firstNotHeld = levels.findIndex((l) => l.failures.length > 0 || l.concurrency < HELD_SHARE * l.target);
  const held = firstNotHeld < 0 ? levels : levels.slice(0, firstNotHeld);
  return held[held.length - 1];
}

/**
 * Share of the machine's cores the whole machine may keep busy during a level's window for the
 * level's usage to count as a cost per call: above it processes wait for a core, the servers' CPU
 * is what they got rather than what the calls need, and the figures skew.
 */
export const UNSATURATED_SHARE = 0.9;

/**
 * The level the cost per call is read at, and whether it is the level held: the highest level
 * held whose machine stayed below {@link UNSATURATED_SHARE} of its `cores`, else the level held.
 */
export function costLevel(capacity: Pick<CapacityResult, "levels" | "held">, cores: number): { level: LevelResult; isHeld: boolean } | undefined {
  const held = capacity.held;
  if (!held) return undefined;
  const upToHeld = capacity.levels.slice(0, capacity.levels.indexOf(held) + 1);
  const unsaturated = upToHeld.filter((l) => l.machineCores < UNSATURATED_SHARE * cores);
  const level = unsaturated[unsaturated.length - 1] ?? held;
  return { level, isHeld: level === held };
}

/** How many times each name occurs (undefined: not known, left out). */
export function countShares(names: readonly (string | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) {
    if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
