/**
 * VM sizing from the measured cost per call: how many concurrent calls GCE machine types hold
 * with headroom. An extrapolation from one machine's measurement, and labelled as one. Pure.
 */
import { SLOTS_PER_PROCESS_LIFETIME } from "../worker/src/call-group-plan";
import { type CapacityResult, MEASURED_SERVERS, costLevel } from "./capacity-result";
import { perCall } from "./process-usage";

/** A GCE machine type. */
export interface MachineType {
  name: string;
  vcpus: number;
  memoryGb: number;
}

/** The machine types the README sizes (GCE's published vCPU and memory). */
export const MACHINE_TYPES: readonly MachineType[] = [
  { name: "e2-standard-2", vcpus: 2, memoryGb: 8 },
  { name: "e2-standard-4", vcpus: 4, memoryGb: 16 },
  { name: "n2-standard-4", vcpus: 4, memoryGb: 16 },
  { name: "n2-standard-8", vcpus: 8, memoryGb: 32 },
  { name: "c3-standard-4", vcpus: 4, memoryGb: 16 },
];

/** Share of the CPU kept free: calls start in bursts, audio has real-time deadlines, and livekit-sip refuses calls above 90 %. */
export const CPU_HEADROOM = 0.4;

/** Memory kept for the OS, Docker, Caddy and Redis, MB. */
export const RESERVED_MEMORY_MB = 1536;

/** What the benchmark measured, all three servers together. */
export interface MeasuredCost {
  /** CPU per call once it is up (cores), without its share of call group process starts. */
  heldCallCores: number;
  /** CPU-seconds to start one call group process. */
  processStartCpuSeconds: number;
  /** Calls one call group process serves before it retires (the worker's SLOTS_PER_PROCESS_LIFETIME). */
  callsPerProcessLifetime: number;
  /** Memory per call, MB. */
  memoryPerCallMb: number;
  /** CPU of the idle stack, cores. */
  idleCores: number;
  /** Memory of the idle stack, MB, with `idleSlots` idle job slots. */
  idleMemoryMb: number;
  /** Idle job slots the measured worker kept (LiveKit Agents: min(cores, 4)). */
  idleSlots: number;
}

/** Calls one machine type holds, and what limits it. */
export interface SizedMachine extends MachineType {
  /** Concurrent calls, for calls of `callSeconds` on average. */
  calls: number;
  /** What set the figure: CPU or memory. */
  limit: "cpu" | "memory";
}

/** CPU-seconds of process start each call carries: a call group process's start spread over the calls it serves. */
export function startCpuSecondsPerCall(cost: Pick<MeasuredCost, "processStartCpuSeconds" | "callsPerProcessLifetime">): number {
  return cost.processStartCpuSeconds / cost.callsPerProcessLifetime;
}

/**
 * Concurrent calls `machine` holds for calls averaging `callSeconds`: CPU per call is the held
 * call's plus its share of a call group process's start spread over the call; the CPU budget keeps
 * {@link CPU_HEADROOM} free after the idle stack, the memory budget keeps
 * {@link RESERVED_MEMORY_MB}, the idle stack and, counted as calls, the idle slots LiveKit Agents
 * keeps on a bigger machine (min(vCPUs, 4)).
 */
export function sizeMachine(machine: MachineType, cost: MeasuredCost, callSeconds: number): SizedMachine {
  const cpuPerCall = cost.heldCallCores + startCpuSecondsPerCall(cost) / callSeconds;
  const cpuBudget = machine.vcpus * (1 - CPU_HEADROOM) - cost.idleCores;
  const byCpu = Math.max(0, Math.floor(cpuBudget / cpuPerCall));
  const extraIdleSlots = Math.max(0, Math.min(machine.vcpus, 4) - cost.idleSlots);
  const memoryBudget = machine.memoryGb * 1024 - RESERVED_MEMORY_MB - cost.idleMemoryMb - extraIdleSlots * cost.memoryPerCallMb;
  const byMemory = Math.max(0, Math.floor(memoryBudget / cost.memoryPerCallMb));
  return byMemory < byCpu ? { ...machine, calls: byMemory, limit: "memory" } : { ...machine, calls: byCpu, limit: "cpu" };
}

/**
 * The cost per call the ramp measured at its {@link costLevel}, for all three servers together,
 * on a machine of `cores` cores; undefined when no level held.
 */
export function measuredCost(capacity: CapacityResult, cores: number): MeasuredCost | undefined {
  const held = costLevel(capacity, cores)?.level;
  if (!held) return undefined;
  const calls = MEASURED_SERVERS.map((s) => perCall(capacity.idle[s], held.usage[s], held.concurrency));
  const starts = { processStartCpuSeconds: capacity.processStartCpuSeconds ?? 0, callsPerProcessLifetime: SLOTS_PER_PROCESS_LIFETIME };
  const measuredCores = calls.reduce((sum, c) => sum + c.cpuCores, 0);
  return {
    heldCallCores: Math.max(0, measuredCores - startCpuSecondsPerCall(starts) / (capacity.holdMs / 1000)),
    ...starts,
    memoryPerCallMb: calls.reduce((sum, c) => sum + c.pssMb, 0),
    idleCores: MEASURED_SERVERS.reduce((sum, s) => sum + capacity.idle[s].cpuCores, 0),
    idleMemoryMb: MEASURED_SERVERS.reduce((sum, s) => sum + capacity.idle[s].pssMb, 0),
    idleSlots: Math.min(cores, 4),
  };
}
