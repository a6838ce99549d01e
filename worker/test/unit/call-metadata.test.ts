import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCallMetadata } from "../../src/call-metadata.ts";

function problemsOf(raw: string): string[] {
  const result = parseCallMetadata(raw);
  assert.equal(result.ok, false, `expected ${raw} to be rejected`);
  return result.ok ? [] : result.problems;
}

describe("parseCallMetadata", () => {
  it("accepts the minimal metadata a backend sends", () => {
    assert.deepEqual(parseCallMetadata('{"phone_number":"+14155550123","call_id":"call-123"}'), {
      ok: true,
      metadata: { phoneNumber: "+14155550123", callId: "call-123" },
    });
  });

  it("carries the optional caller id and agent", () => {
    const result = parseCallMetadata(
      JSON.stringify({ phone_number: "+442071838750", call_id: "c_1", caller_id: "+14155550100", agent: "sales.v2" }),
    );
    assert.deepEqual(result, {
      ok: true,
      metadata: { phoneNumber: "+442071838750", callId: "c_1", callerId: "+14155550100", agent: "sales.v2" },
    });
  });

  for (const bad of ["14155550123", "+0123456789", "+1 415 555 0123", "+1234567890123456", "+1"]) {
    it(`rejects the non-E.164 phone number ${JSON.stringify(bad)}, naming the field and value`, () => {
      const [problem, ...rest] = problemsOf(JSON.stringify({ phone_number: bad, call_id: "c1" }));
      assert.equal(rest.length, 0);
      assert.match(problem!, /field "phone_number"/);
      assert.ok(problem!.includes(JSON.stringify(bad)), problem);
      assert.match(problem!, /E\.164/);
    });
  }

  it("says which fields are missing", () => {
    const problems = problemsOf("{}");
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /field "phone_number" is missing/);
    assert.match(problems[1]!, /field "call_id" is missing/);
  });

  it("tells a number from a string in the message", () => {
    const [problem] = problemsOf('{"phone_number":14155550123,"call_id":"c1"}');
    assert.match(problem!, /is 14155550123 \(number\)/);
  });

  it("rejects a misspelt key instead of silently dropping it", () => {
    const problems = problemsOf('{"phone_number":"+14155550123","call_id":"c1","callerId":"+14155550100"}');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /field "callerId" is not recognised/);
    assert.match(problems[0]!, /caller_id/);
  });

  it("shortens a huge unknown key in the message so one job cannot flood the log", () => {
    const key = "k".repeat(10_000);
    const [problem] = problemsOf(`{"phone_number":"+14155550123","call_id":"c1","${key}":1}`);
    assert.ok(problem!.length < 400, `message is ${problem!.length} characters`);
    assert.match(problem!, /field "k{80}…" is not recognised/);
  });

  it("rejects an invalid caller id and call id", () => {
    const problems = problemsOf('{"phone_number":"+14155550123","call_id":"has space","caller_id":"anonymous"}');
    assert.equal(problems.length, 2);
    assert.ok(problems.some((p) => p.includes('field "call_id" is "has space"')));
    assert.ok(problems.some((p) => p.includes('field "caller_id" is "anonymous"')));
  });

  it("explains empty, non-JSON and non-object metadata with an example of valid metadata", () => {
    for (const [raw, pattern] of [
      ["", /job metadata is empty/],
      ["   ", /job metadata is empty/],
      ["+14155550123", /not valid JSON/],
      ['["+14155550123"]', /not a JSON object/],
      ["null", /is null, not a JSON object/],
    ] as const) {
      const [problem] = problemsOf(raw);
      assert.match(problem!, pattern);
      assert.ok(problem!.includes('{"phone_number":"+14155550123","call_id":"call-123"}'), problem);
    }
  });

  it("shortens a huge bad value so it cannot flood the log", () => {
    const [problem] = problemsOf(JSON.stringify({ phone_number: "9".repeat(10_000), call_id: "c1" }));
    assert.ok(problem!.length < 600, `message is ${problem!.length} characters`);
  });
});
