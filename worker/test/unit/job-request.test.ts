import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jobRequestFrom, notACallProblems } from "../../src/job-request.ts";

describe("job request", () => {
  it("is an outbound call when the metadata is a valid request", () => {
    assert.deepEqual(jobRequestFrom('{"phone_number":"+14155550123","call_id":"c-1","agent":"a1"}'), {
      kind: "outbound",
      metadata: { phoneNumber: "+14155550123", callId: "c-1", agent: "a1" },
    });
  });

  it("is an inbound call candidate when there is no metadata, as the SIP dispatch rule dispatches", () => {
    assert.deepEqual(jobRequestFrom(""), { kind: "inbound" });
    assert.deepEqual(jobRequestFrom("  \n"), { kind: "inbound" });
  });

  it("is a probe, no call, when the metadata is only a probe's name, as the doctor dispatches", () => {
    assert.deepEqual(jobRequestFrom('{"probe":"doctor"}'), { kind: "probe", source: "doctor" });
    assert.equal(jobRequestFrom('{"probe":"doctor","phone_number":"+14155550123"}').kind, "invalid");
    assert.equal(jobRequestFrom('{"probe":""}').kind, "invalid");
    assert.equal(jobRequestFrom('{"probe":true}').kind, "invalid");
  });

  it("is invalid when metadata is given but is no valid outbound request, with the metadata's problems", () => {
    const request = jobRequestFrom('{"phoneNumber":"12345"}');
    assert.equal(request.kind, "invalid");
    const problems = request.kind === "invalid" ? request.problems : [];
    assert.ok(problems.some((p) => p.startsWith('job metadata field "phone_number" is missing')));
    assert.deepEqual(jobRequestFrom("{}").kind, "invalid");
    assert.deepEqual(jobRequestFrom("not json").kind, "invalid");
  });

  it("says why a job with no metadata and no inbound caller is neither kind of call, and how each is made", () => {
    const problems = notACallProblems('participant "web" is not a SIP participant, so it is no inbound caller');
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^job metadata is empty, so this is no outbound call request: dispatch outbound calls with JSON metadata like \{"phone_number"/);
    assert.match(problems[1], /^and it is no inbound call: participant "web" is not a SIP participant.*dispatched by the stack's SIP dispatch rule/);
  });
});
