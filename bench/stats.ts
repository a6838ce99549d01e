/**
 * Statistics of the benchmark's measurements: percentiles and side-by-side ratios. Pure.
 */

/** Percentiles and extremes of a set of durations (milliseconds). */
export interface Summary {
  /** How many values. */
  count: number;
  /** Median. */
  p50: number;
  /** 95th percentile. */
  p95: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
}

/**
 * The `p`-th percentile (0-100) of `values`, linearly interpolated between the two nearest ranks
 * (the "R-7" definition that numpy and spreadsheets use by default), so a small sample such as
 * 30 calls gives a stable p95 instead of jumping to the maximum.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new Error("percentile of no values: at least one measurement is needed");
  }
  if (!(p >= 0 && p <= 100)) {
    throw new Error(`percentile ${p} is out of range: expected a number from 0 to 100`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** p50, p95, min and max of `values` (at least one). */
export function summarize(values: readonly number[]): Summary {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** The ratio `numerator / denominator` of two summaries at p50 and at p95. */
export interface SummaryRatio {
  p50: number;
  p95: number;
}

/**
 * How many times slower `numerator` is than `denominator` at each percentile (1.0: as fast).
 * A zero denominator gives Infinity rather than a misleading finite number.
 */
export function summaryRatio(numerator: Summary, denominator: Summary): SummaryRatio {
  const ratio = (a: number, b: number) => (b === 0 ? Infinity : a / b);
  return { p50: ratio(numerator.p50, denominator.p50), p95: ratio(numerator.p95, denominator.p95) };
}
