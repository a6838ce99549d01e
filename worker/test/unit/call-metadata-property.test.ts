import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { METADATA_EXAMPLE, parseCallMetadata } from "../../src/call-metadata.ts";
import { calleeIdentity } from "../../src/sip-dial.ts";

const E164 = /^\+[1-9]\d{1,14}$/;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const FIELDS = ["phone_number", "call_id", "caller_id", "agent"] as const;

/** Text a dispatcher could send by mistake or on purpose: any text, any JSON, objects near the real shape. */
const anyValue = fc.oneof(fc.jsonValue(), fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("+14155550123\n", "+1415555 0123", "call-1\u0000", "-lead", "a".repeat(300)));
const nearMetadata = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS, "callerId", "phoneNumber", "__proto__", "constructor"), fc.string({ maxLength: 12 })), anyValue, { maxKeys: 6 });
const rawMetadata = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.json(),
  nearMetadata.map((record) => JSON.stringify(record)),
  fc.constantFrom("", " ", "null", "[]", "{", '{"phone_number":', "\uFEFF{}"),
);

/** Metadata every field of which is valid. */
const validRecord = fc.record(
  {
    phone_number: fc.stringMatching(E164),
    call_id: fc.stringMatching(IDENTIFIER),
    caller_id: fc.stringMatching(E164),
    agent: fc.stringMatching(IDENTIFIER),
  },
  { requiredKeys: ["phone_number", "call_id"] },
);

/** Asserts the result is either a call the worker can place or a rejection a dispatcher can act on. */
function assertClearOrValid(raw: string): ReturnType<typeof parseCallMetadata> {
  const result = parseCallMetadata(raw);
  if (result.ok) {
    const { phoneNumber, callId, callerId, agent } = result.metadata;
    assert.match(phoneNumber, E164);
    assert.match(callId, IDENTIFIER);
    if (callerId !== undefined) assert.match(callerId, E164);
    if (agent !== undefined) assert.match(agent, IDENTIFIER);
    assert.match(calleeIdentity(callId), /^sip-[A-Za-z0-9][A-Za-z0-9._:-]*$/);
  } else {
    assert.ok(result.problems.length > 0);
    for (const problem of result.problems) {
      assert.ok(problem.startsWith("job metadata "), problem);
      assert.ok(problem.includes(METADATA_EXAMPLE), problem);
    }
  }
  return result;
}

describe("parseCallMetadata on any job metadata", () => {
  it("never throws: it returns a call with valid fields, or problems that say what to send", () => {
    fc.assert(fc.property(rawMetadata, (raw) => void assertClearOrValid(raw)), { numRuns: 3000 });
  });

  it("accepts every valid metadata exactly as sent", () => {
    fc.assert(
      fc.property(validRecord, (record) => {
        const result = assertClearOrValid(JSON.stringify(record));
        assert.deepEqual(result, {
          ok: true,
          metadata: {
            phoneNumber: record.phone_number,
            callId: record.call_id,
            ...(record.caller_id === undefined ? {} : { callerId: record.caller_id }),
            ...(record.agent === undefined ? {} : { agent: record.agent }),
          },
        });
      }),
    );
  });

  it("rejects one bad field by name, and places the call when the value happens to be valid", () => {
    fc.assert(
      fc.property(validRecord, fc.constantFrom(...FIELDS), anyValue, (record, field, value) => {
        const result = assertClearOrValid(JSON.stringify({ ...record, [field]: value }));
        if (!result.ok) {
          assert.ok(result.problems.every((p) => p.includes(`field "${field}"`)), result.problems.join("\n"));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects any extra key by name instead of ignoring it", () => {
    const extra = fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !(FIELDS as readonly string[]).includes(k));
    fc.assert(
      fc.property(validRecord, extra, anyValue, (record, key, value) => {
        const raw = `${JSON.stringify(record).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`;
        const result = assertClearOrValid(raw);
        assert.equal(result.ok, false);
        if (!result.ok) assert.ok(result.problems.some((p) => p.includes(`field ${JSON.stringify(key)}`) || p.includes(`field "${key}"`)), result.problems.join("\n"));
      }),
      { numRuns: 1000 },
    );
  });
});
