import { CPU_HEADROOM, type MeasuredCost, RESERVED_MEMORY_MB, measuredCost, sizeMachine, startCpuSecondsPerCall } from "../../../bench/sizing";
import { SLOTS_PER_PROCESS_LIFETIME } from "../../../worker/src/call-group-plan";
import { capacityResult, usage } from "./fixtures";

const cost: MeasuredCost = {
  heldCallCores: 0.1,
  processStartCpuSeconds: 10,
  callsPerProcessLifetime: 10,
  memoryPerCallMb: 200,
  idleCores: 0.1,
  idleMemoryMb: 1000,
  idleSlots: 2,
};

describe("sizeMachine", () => {
  it("spreads a call group process's start over the calls it serves", () => {
    expect(startCpuSecondsPerCall(cost)).toBe(1);
  });

  it("divides the CPU left after headroom and the idle stack by the CPU per call, its share of process start spread over the call", () => {
    // 4 vCPUs × 0.6 − 0.1 idle = 2.3 cores; 0.1 + (10 CPU-s / 10 calls) / 20 s = 0.15 per call → 15 calls.
    expect(CPU_HEADROOM).toBe(0.4);
    expect(sizeMachine({ name: "n2-standard-4", vcpus: 4, memoryGb: 16 }, cost, 20)).toEqual({
      name: "n2-standard-4",
      vcpus: 4,
      memoryGb: 16,
      calls: 15,
      limit: "cpu",
    });
    // Three-minute calls: 0.1 + 1/180 ≈ 0.1056 per call → 21 calls.
    expect(sizeMachine({ name: "n2-standard-4", vcpus: 4, memoryGb: 16 }, cost, 180).calls).toBe(21);
  });

  it("is limited by memory when the calls do not fit, counting LiveKit Agents' extra idle slots as calls", () => {
    const hungry = { ...cost, memoryPerCallMb: 1000 };
    // 16 GB − 1536 reserved − 1000 idle − 2 more idle slots × 1000 = 11848 MB → 11 calls.
    expect(RESERVED_MEMORY_MB).toBe(1536);
    expect(sizeMachine({ name: "x", vcpus: 8, memoryGb: 16 }, hungry, 20)).toMatchObject({ calls: 11, limit: "memory" });
  });

  it("never gives a negative number of calls", () => {
    expect(sizeMachine({ name: "tiny", vcpus: 1, memoryGb: 1 }, cost, 20).calls).toBe(0);
  });
});

describe("measuredCost", () => {
  const idle = { "livekit-sip": usage(0, 50), "livekit-server": usage(0.01, 50), worker: usage(0.04, 900) };
  const capacity = capacityResult({ idle, processStartCpuSeconds: 90 });
  const held = {
    target: 10,
    concurrency: 10,
    calls: 15,
    failures: [],
    usage: { "livekit-sip": usage(0.2, 90), "livekit-server": usage(0.16, 150), worker: usage(1.04, 2800) },
    usageByNode: [],
    machineCores: 1.5,
  };

  it("sums the three servers' per-call cost at the level held and takes the calls' share of process starts out of the held call's CPU", () => {
    const measured = measuredCost({ ...capacity, levels: [held], held }, 2);
    expect(measured?.heldCallCores).toBeCloseTo((0.2 + 0.15 + 1.0) / 10 - 90 / SLOTS_PER_PROCESS_LIFETIME / 20);
    expect(measured?.memoryPerCallMb).toBeCloseTo((40 + 100 + 1900) / 10);
    expect(measured).toMatchObject({ processStartCpuSeconds: 90, callsPerProcessLifetime: SLOTS_PER_PROCESS_LIFETIME, idleMemoryMb: 1000, idleSlots: 2 });
    expect(measured?.idleCores).toBeCloseTo(0.05);
  });

  it("is undefined when no level held", () => {
    expect(measuredCost(capacity, 2)).toBeUndefined();
  });
});
