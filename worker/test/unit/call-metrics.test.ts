import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CallCounters,
  type CallReport,
  type JobProcessState,
  WORKER_METRICS,
  nextProcessState,
  outcomeReport,
  parseCallReport,
} from "../../src/call-metrics.ts";
import type { MetricFamily } from "../../src/prometheus-text.ts";

function value(families: MetricFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.find((f) => f.name === name);
  if (!family || family.type === "histogram") return undefined;
  return family.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
}

describe("outcomeReport", () => {
  it("counts the worker's outcomes as answered or as the failure on-call reads", () => {
    assert.deepEqual(outcomeReport("outbound", "answered", 2.5), { event: "answered", direction: "outbound", setup_seconds: 2.5 });
    for (const [outcome, failure] of [
      ["busy", "busy"],
      ["no_answer", "no_answer"],
      ["rejected", "refused"],
      ["failed", "error"],
      ["abandoned", "abandoned"],
    ] as const) {
      assert.deepEqual(outcomeReport("inbound", outcome, 1), { event: "failed", direction: "inbound", outcome: failure });
    }
  });
});

describe("parseCallReport", () => {
  it("reads a report and ignores anything else", () => {
    assert.deepEqual(parseCallReport('{"event":"dispatched","direction":"inbound"}'), { event: "dispatched", direction: "inbound" });
    for (const junk of ["", "not json", '{"event":"dispatched","direction":"sideways"}', '{"event":"answered","direction":"inbound"}', "[]"]) {
      assert.equal(parseCallReport(junk), undefined, junk);
    }
  });
});

describe("nextProcessState", () => {
  it("follows a job process from idle through its call to done", () => {
    const reports: CallReport[] = [
      { event: "idle" },
      { event: "dispatched", direction: "outbound" },
      { event: "answered", direction: "outbound", setup_seconds: 3 },
      { event: "ended" },
    ];
    const states = reports.reduce<JobProcessState[]>((seen, r) => [...seen, nextProcessState(seen.at(-1)!, r)], [{ kind: "starting" }]);
    assert.deepEqual(states.map((s) => s.kind), ["starting", "idle", "busy", "busy", "done"]);
  });
});

describe("CallCounters", () => {
  it("exports every series at 0 before the first call", () => {
    const families = new CallCounters().families([], false);
    assert.equal(value(families, WORKER_METRICS.dispatched, { direction: "outbound" }), 0);
    assert.equal(value(families, WORKER_METRICS.failed, { direction: "inbound", outcome: "refused" }), 0);
    assert.equal(value(families, WORKER_METRICS.registered), 0);
    assert.equal(value(families, WORKER_METRICS.idleProcesses), 0);
  });

  it("counts dispatched, answered and failed calls by direction and outcome, and setup times into buckets", () => {
    const counters = new CallCounters();
    for (const report of [
      { event: "dispatched", direction: "outbound" },
      { event: "answered", direction: "outbound", setup_seconds: 0.4 },
      { event: "dispatched", direction: "outbound" },
      { event: "failed", direction: "outbound", outcome: "busy" },
      { event: "dispatched", direction: "inbound" },
      { event: "answered", direction: "inbound", setup_seconds: 90 },
    ] as CallReport[]) {
      counters.apply(report);
    }
    const families = counters.families([], true);
    assert.equal(value(families, WORKER_METRICS.dispatched, { direction: "outbound" }), 2);
    assert.equal(value(families, WORKER_METRICS.answered, { direction: "outbound" }), 1);
    assert.equal(value(families, WORKER_METRICS.failed, { direction: "outbound", outcome: "busy" }), 1);
    assert.equal(value(families, WORKER_METRICS.failed, { direction: "outbound", outcome: "no_answer" }), 0);
    assert.equal(value(families, WORKER_METRICS.answered, { direction: "inbound" }), 1);
    const setup = families.find((f) => f.name === WORKER_METRICS.setupSeconds);
    assert.ok(setup?.type === "histogram");
    const outbound = setup.series.find((s) => s.labels.direction === "outbound")!;
    const inbound = setup.series.find((s) => s.labels.direction === "inbound")!;
    assert.deepEqual([outbound.bucketCounts[0], outbound.count, outbound.sum], [1, 1, 0.4]);
    // Longer than the last bound: only in +Inf.
    assert.deepEqual([inbound.bucketCounts.at(-1), inbound.bucketCounts.slice(0, -1).every((n) => n === 0)], [1, true]);
  });

  it("computes calls in progress and idle processes from the processes' states", () => {
    const families = new CallCounters().families(
      [{ kind: "idle" }, { kind: "idle" }, { kind: "busy", direction: "inbound" }, { kind: "starting" }, { kind: "done" }],
      true,
    );
    assert.equal(value(families, WORKER_METRICS.idleProcesses), 2);
    assert.equal(value(families, WORKER_METRICS.inProgress, { direction: "inbound" }), 1);
    assert.equal(value(families, WORKER_METRICS.inProgress, { direction: "outbound" }), 0);
    assert.equal(value(families, WORKER_METRICS.registered), 1);
  });
});
