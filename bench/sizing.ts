/**
 * VM sizing from the measured cost per call: how many concurrent calls GCE machine types hold
 * with headroom. An extrapolation from one machine's measurement, and labelled as one. Pure.
 */
import { type CapacityResult, MEASURED_SERVERS } from "./capacity-result";
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

/** Share of the CPU kept free: job process starts come in bursts, audio has real-time deadlines, and livekit-sip refuses calls above 90 %. */
export const CPU_HEADROOM = 0.4;

/** Memory kept for the OS, Docker, Caddy and Redis, MB. */
export const RESERVED_MEMORY_MB = 1536;

/** What the benchmark measured, all three servers together. */
export interface MeasuredCost {
  /** CPU per call once it is up (cores), without the job process start. */
  heldCallCores: number;
  /** CPU-seconds to start one call's job process. */
  jobStartCpuSeconds: number;
  /** Memory per call, MB (mostly the call's job process). */
  memoryPerCallMb: number;
  /** CPU of the idle stack, cores. */
  idleCores: number;
  /** Memory of the idle stack, MB, with `idleJobProcesses` idle job processes. */
  idleMemoryMb: number;
  /** Idle job processes the measured worker kept (LiveKit Agents: min(cores, 4)). */
  idleJobProcesses: number;
}

/** Calls one machine type holds, and what limits it. */
export interface SizedMachine extends MachineType {
  /** Concurrent calls, for calls of `callSeconds` on average. */
  calls: number;
  /** What set the figure: CPU, memory, or how fast the worker can start the calls' job processes. */
  limit: "cpu" | "memory" | "job starts";
}

/**
 * Concurrent calls `machine` holds for calls averaging `callSeconds`: CPU per call is the held
 * call's plus its job process start spread over the call; the CPU budget keeps
 * {@link CPU_HEADROOM} free after the idle stack, the memory budget keeps
 * {@link RESERVED_MEMORY_MB} and the idle stack (with LiveKit Agents' min(vCPUs, 4) idle job
 * processes). Whatever the vCPUs, one worker starts job processes one at a time (LiveKit Agents'
 * process pool initializes them under one lock), each taking at least its CPU-seconds, so at most
 * `callSeconds / jobStartCpuSeconds` calls can be replaced as fast as they end.
 */
export function sizeMachine(machine: MachineType, cost: MeasuredCost, callSeconds: number): SizedMachine {
  const cpuPerCall = cost.heldCallCores + cost.jobStartCpuSeconds / callSeconds;
  const cpuBudget = machine.vcpus * (1 - CPU_HEADROOM) - cost.idleCores;
  const byCpu = Math.max(0, Math.floor(cpuBudget / cpuPerCall));
  const extraIdleProcesses = Math.max(0, Math.min(machine.vcpus, 4) - cost.idleJobProcesses);
  const memoryBudget = machine.memoryGb * 1024 - RESERVED_MEMORY_MB - cost.idleMemoryMb - extraIdleProcesses * cost.memoryPerCallMb;
  const byMemory = Math.max(0, Math.floor(memoryBudget / cost.memoryPerCallMb));
  const byStarts = cost.jobStartCpuSeconds > 0 ? Math.floor(callSeconds / cost.jobStartCpuSeconds) : Number.POSITIVE_INFINITY;
  const limits: [number, SizedMachine["limit"]][] = [
    [byCpu, "cpu"],
    [byMemory, "memory"],
    [byStarts, "job starts"],
  ];
  const [calls, limit] = limits.reduce((lowest, next) => (next[0] < lowest[0] ? next : lowest));
  return { ...machine, calls, limit };
}

/**
 * The cost per call the ramp measured at its largest level held without failures, for all three
 * servers together, on a machine of `cores` cores; undefined when no level held.
 */
export function measuredCost(capacity: CapacityResult, cores: number): MeasuredCost | undefined {
  const held = capacity.held;
  if (!held) return undefined;
  const calls = MEASURED_SERVERS.map((s) => perCall(capacity.idle[s], held.usage[s], held.concurrency));
  const jobStartCpuSeconds = capacity.jobProcessStartCpuSeconds ?? 0;
  const measuredCores = calls.reduce((sum, c) => sum + c.cpuCores, 0);
  return {
    heldCallCores: Math.max(0, measuredCores - jobStartCpuSeconds / (capacity.holdMs / 1000)),
    jobStartCpuSeconds,
    memoryPerCallMb: calls.reduce((sum, c) => sum + c.pssMb, 0),
    idleCores: MEASURED_SERVERS.reduce((sum, s) => sum + capacity.idle[s].cpuCores, 0),
    idleMemoryMb: MEASURED_SERVERS.reduce((sum, s) => sum + capacity.idle[s].pssMb, 0),
    idleJobProcesses: Math.min(cores, 4),
  };
}
