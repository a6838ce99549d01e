/**
 * The numbers the benchmark dials: one per call, so the carrier's log tells calls apart, with a
 * prefix per kind of call (the carrier holds capacity calls longer, see
 * test/harness/sipp/carrier-uas.xml).
 * Pure.
 */

/** What a call is for ("caller": the caller's own number on an inbound call). */
export type BenchCallKind = "direct" | "worker" | "capacity" | "caller";

/** Number prefix of each kind; `+1555012` is what the carrier scenario holds for `-d` ms. */
export const NUMBER_PREFIXES: Record<BenchCallKind, string> = {
  direct: "+1555013",
  worker: "+1555014",
  capacity: "+1555012",
  caller: "+1555015",
};

/** Calls of one kind a run can tell apart (four digits after the prefix). */
export const MAX_CALLS_PER_KIND = 10_000;

/** The E.164 number of the `index`-th call (from 0) of `kind`, e.g. `+15550130007`. */
export function benchNumber(kind: BenchCallKind, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_CALLS_PER_KIND) {
    throw new Error(`call index ${index} is out of range: expected a whole number from 0 to ${MAX_CALLS_PER_KIND - 1}`);
  }
  return `${NUMBER_PREFIXES[kind]}${String(index).padStart(4, "0")}`;
}
