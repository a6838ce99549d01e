import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderPrometheusText } from "../../src/prometheus-text.ts";

describe("renderPrometheusText", () => {
  it("writes HELP and TYPE before each family's samples, one line each", () => {
    const text = renderPrometheusText([
      { type: "counter", name: "calls_total", help: "Calls.", samples: [{ labels: { direction: "inbound" }, value: 3 }] },
      { type: "gauge", name: "idle", help: "Idle.", samples: [{ labels: {}, value: 0 }] },
    ]);
    assert.equal(
      text,
      ["# HELP calls_total Calls.", "# TYPE calls_total counter", 'calls_total{direction="inbound"} 3', "# HELP idle Idle.", "# TYPE idle gauge", "idle 0", ""].join("\n"),
    );
  });

  it("escapes label values and help texts so no value adds a line or a label", () => {
    const text = renderPrometheusText([
      { type: "gauge", name: "g", help: "a\\b\nc", samples: [{ labels: { v: 'x"\n} 1\ny{' }, value: 1 }] },
    ]);
    assert.deepEqual(text.split("\n"), ["# HELP g a\\\\b\\nc", "# TYPE g gauge", 'g{v="x\\"\\n} 1\\ny{"} 1', ""]);
  });

  it("writes a histogram's buckets cumulative up to +Inf, then its sum and count", () => {
    const text = renderPrometheusText([
      {
        type: "histogram",
        name: "setup_seconds",
        help: "Setup.",
        buckets: [1, 5],
        series: [{ labels: { direction: "outbound" }, bucketCounts: [2, 0, 1], sum: 14.5, count: 3 }],
      },
    ]);
    assert.deepEqual(text.trimEnd().split("\n").slice(2), [
      'setup_seconds_bucket{direction="outbound",le="1"} 2',
      'setup_seconds_bucket{direction="outbound",le="5"} 2',
      'setup_seconds_bucket{direction="outbound",le="+Inf"} 3',
      'setup_seconds_sum{direction="outbound"} 14.5',
      'setup_seconds_count{direction="outbound"} 3',
    ]);
  });
});
