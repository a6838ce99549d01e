import fc from "fast-check";
import { percentile, summarize, summaryRatio } from "../../../bench/stats";

describe("percentile", () => {
  it("interpolates between the nearest ranks (R-7, as numpy and spreadsheets do)", () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 0)).toBe(15);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 40)).toBe(29);
    expect(percentile(values, 95)).toBeCloseTo(48);
  });

  it("does not depend on the order of the values", () => {
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([10, 1], 50)).toBe(5.5);
  });

  it("of one value is that value", () => {
    expect(percentile([7], 95)).toBe(7);
  });

  it("lies between the smallest and largest value and grows with p", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (values, p, q) => {
          const [low, high] = p <= q ? [p, q] : [q, p];
          const a = percentile(values, low);
          const b = percentile(values, high);
          expect(a).toBeGreaterThanOrEqual(Math.min(...values));
          expect(b).toBeLessThanOrEqual(Math.max(...values));
          expect(a).toBeLessThanOrEqual(b + 1e-9);
        },
      ),
    );
  });

  it("refuses no values and a percentile outside 0-100, saying what is expected", () => {
    expect(() => percentile([], 50)).toThrow("at least one measurement is needed");
    expect(() => percentile([1], 101)).toThrow("percentile 101 is out of range: expected a number from 0 to 100");
    expect(() => percentile([1], Number.NaN)).toThrow("expected a number from 0 to 100");
  });
});

describe("summarize and summaryRatio", () => {
  it("gives count, p50, p95, min and max", () => {
    const values = Array.from({ length: 21 }, (_, i) => i * 10);
    expect(summarize(values)).toEqual({ count: 21, p50: 100, p95: 190, min: 0, max: 200 });
  });

  it("divides the worker's percentiles by the direct ones, side by side", () => {
    const worker = summarize([300, 320, 340, 360, 400]);
    const direct = summarize([100, 100, 100, 100, 200]);
    expect(summaryRatio(worker, direct)).toEqual({ p50: 3.4, p95: worker.p95 / direct.p95 });
  });

  it("gives Infinity, not a finite number, against a zero denominator", () => {
    expect(summaryRatio(summarize([5]), summarize([0]))).toEqual({ p50: Infinity, p95: Infinity });
  });
});
