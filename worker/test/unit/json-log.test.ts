import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REDACTED, createJsonLogger, formatLogLine } from "../../src/json-log.ts";

const NOW = new Date("2025-01-02T03:04:05.678Z");

function capture() {
  const lines: string[] = [];
  const logger = createJsonLogger({ write: (line) => lines.push(line), now: () => NOW });
  return { lines, logger, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("json logger", () => {
  it("writes one JSON object per line with time, level and event first", () => {
    const { lines, logger, parsed } = capture();
    logger.info("call.outcome", { outcome: "busy", sip_status_code: 486 });
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]!.includes("\n"));
    assert.deepEqual(parsed()[0], {
      time: "2025-01-02T03:04:05.678Z",
      level: "info",
      event: "call.outcome",
      outcome: "busy",
      sip_status_code: 486,
    });
    assert.deepEqual(Object.keys(parsed()[0]!).slice(0, 3), ["time", "level", "event"]);
  });

  it("adds a child's fields to every line and lets a line override them", () => {
    const { logger, parsed } = capture();
    const call = logger.child({ call_id: "c1", job_id: "AJ_1" });
    call.warn("call.outcome", { outcome: "no_answer" });
    call.child({ job_id: "AJ_2" }).error("call.voice_failed");
    const [first, second] = parsed();
    assert.deepEqual([first!.level, first!.call_id, first!.job_id, first!.outcome], ["warn", "c1", "AJ_1", "no_answer"]);
    assert.deepEqual([second!.level, second!.call_id, second!.job_id], ["error", "c1", "AJ_2"]);
  });

  it("redacts credential-looking fields at any depth", () => {
    const line = formatLogLine("info", "x", {
      api_secret: "s1",
      nested: { LIVEKIT_API_KEY: "k1", password: "p1", Authorization: "Bearer t1", keep: "visible" },
      list: [{ token: "t2" }],
    }, NOW);
    for (const secret of ["s1", "k1", "p1", "t1", "t2"]) assert.ok(!line.includes(secret), line);
    const parsed = JSON.parse(line);
    assert.equal(parsed.api_secret, REDACTED);
    assert.equal(parsed.nested.keep, "visible");
  });

  it("serialises errors by name and message, and bigints as strings", () => {
    const parsed = JSON.parse(formatLogLine("error", "x", { error: new RangeError("bad"), n: 10n }, NOW));
    assert.deepEqual(parsed.error, { name: "RangeError", message: "bad" });
    assert.equal(parsed.n, "10");
  });
});
