/**
 * What the bench report and sizing tests share: the machine a run names, the servers' usage, a
 * capacity ramp with defaults for what a test does not look at, and expectations on a report.
 */
import type { CapacityResult } from "../../../bench/capacity-result";
import type { MachineInfo } from "../../../bench/machine";
import type { Usage } from "../../../bench/process-usage";

/** A 2-core machine with the servers' versions and the commit. */
export const machine: MachineInfo = {
  cores: 2,
  cpuModel: "AMD EPYC",
  memoryGb: 23.5,
  kernel: "6.1.0",
  loadAverage: 0.5,
  versions: { "livekit-server": "v1.13.5", "livekit-sip": "v1.8.0" },
  commit: "abc1234",
};

/** A server's CPU (cores) and proportional memory; its resident memory is twice that. */
export const usage = (cpuCores: number, pssMb: number): Usage => ({ cpuCores, pssMb, rssMb: pssMb * 2 });

/** A one-node ramp (`local`) that stopped without holding a level, over `fields`. */
export function capacityResult(fields: Pick<CapacityResult, "idle"> & Partial<CapacityResult>): CapacityResult {
  return {
    nodes: ["local"],
    idleByNode: [fields.idle],
    idleMachineCores: 0.1,
    levels: [],
    stoppedBecause: "",
    holdMs: 20_000,
    answerTimeoutMs: 15_000,
    dialedBy: {},
    workerOf: {},
    ...fields,
  };
}

/** Expects each of `texts` somewhere in `report`. */
export function expectToContainAll(report: string, ...texts: string[]): void {
  for (const text of texts) expect(report).toContain(text);
}

/** Expects each of `rows` as a whole line of `report`. */
export function expectLines(report: string, ...rows: string[]): void {
  const lines = report.split("\n");
  for (const row of rows) expect(lines).toContain(row);
}
