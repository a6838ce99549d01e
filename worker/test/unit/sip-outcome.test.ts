import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ServerError, SipCallError } from "livekit-server-sdk";
import { classifyDialError, outcomeForSipStatus, outcomeLogFields } from "../../src/sip-outcome.ts";

// What CreateSIPParticipant throws when the carrier answers the INVITE with a final error status:
// livekit-server puts the SIP status in the Twirp error's metadata.
function sipError(code: number, status: string): SipCallError {
  return new SipCallError("Precondition Failed", "sip call failed", 412, "failed_precondition", {
    sip_status_code: String(code),
    sip_status: status,
  });
}

describe("outcomeForSipStatus", () => {
  for (const [code, outcome] of [
    [486, "busy"],
    [600, "busy"],
    [408, "no_answer"],
    [480, "no_answer"],
    [487, "no_answer"],
    [401, "rejected"],
    [403, "rejected"],
    [407, "rejected"],
    [603, "rejected"],
    [404, "failed"],
    [488, "failed"],
    [500, "failed"],
    [503, "failed"],
  ] as const) {
    it(`classifies SIP ${code} as ${outcome}`, () => {
      const result = outcomeForSipStatus(code, "Reason");
      assert.equal(result.outcome, outcome);
      assert.equal(result.sipStatusCode, code);
      assert.equal(result.sipStatus, "Reason");
    });
  }
});

describe("classifyDialError", () => {
  it("reads the SIP status from the SDK's SipCallError", () => {
    const result = classifyDialError(sipError(486, "Busy Here"));
    assert.equal(result.outcome, "busy");
    assert.equal(result.reason, "busy_here");
    assert.equal(result.sipStatusCode, 486);
    assert.equal(result.sipStatus, "Busy Here");
    assert.match(result.detail!, /486/);
  });

  it("records a carrier's 403 for bad trunk credentials as rejected with the status", () => {
    const result = classifyDialError(sipError(403, "Forbidden"));
    assert.deepEqual([result.outcome, result.reason, result.sipStatusCode], ["rejected", "forbidden", 403]);
  });

  it("records a digest challenge the credentials never satisfied as rejected (auth_failed)", () => {
    const error = new ServerError(
      "Precondition Failed",
      "max auth retry attempts reached for SIP invite",
      412,
      "failed_precondition",
    );
    const result = classifyDialError(error);
    assert.deepEqual([result.outcome, result.reason], ["rejected", "auth_failed"]);
    assert.equal(result.sipStatusCode, undefined);
  });

  it("records the ringing timeout expiring as no answer", () => {
    const error = new ServerError("Request Timeout", "sip request timed out", 408, "canceled");
    assert.deepEqual(pick(classifyDialError(error)), ["no_answer", "ringing_timeout"]);
  });

  it("tells a carrier that only rang from one that never responded", () => {
    const rang = new ServerError("Request Timeout", "transaction failed to complete (2 intermediate responses)", 408, "canceled");
    const silent = new ServerError("Request Timeout", "transaction failed to complete (0 intermediate responses)", 408, "canceled");
    assert.deepEqual(pick(classifyDialError(rang)), ["no_answer", "no_final_response"]);
    assert.deepEqual(pick(classifyDialError(silent)), ["failed", "carrier_not_responding"]);
  });

  it("treats the SDK giving up after the ringing timeout as no answer", () => {
    const error = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    assert.deepEqual(pick(classifyDialError(error)), ["no_answer", "request_timeout"]);
  });

  it("reports an unknown trunk and other server errors as failed with their code", () => {
    const notFound = new ServerError("Not Found", "requested sip trunk does not exist", 404, "not_found");
    assert.deepEqual(pick(classifyDialError(notFound)), ["failed", "not_found"]);
    const internal = new ServerError("Internal Server Error", "boom", 500, "internal");
    assert.deepEqual(pick(classifyDialError(internal)), ["failed", "internal"]);
  });

  it("reports LiveKit being unreachable as failed, keeping the message", () => {
    const result = classifyDialError(new TypeError("fetch failed"));
    assert.deepEqual(pick(result), ["failed", "error"]);
    assert.equal(result.detail, "fetch failed");
    assert.deepEqual(pick(classifyDialError("a string")), ["failed", "error"]);
  });
});

function pick(outcome: { outcome: string; reason: string }): [string, string] {
  return [outcome.outcome, outcome.reason];
}

describe("outcome log fields", () => {
  it("logs every outcome field in snake_case, unknown SIP fields as null and a detail only when there is one", () => {
    assert.deepEqual(outcomeLogFields({ outcome: "abandoned", reason: "caller_hung_up" }), {
      outcome: "abandoned",
      reason: "caller_hung_up",
      sip_status_code: null,
      sip_status: null,
    });
    assert.deepEqual(outcomeLogFields({ outcome: "busy", reason: "busy_here", sipStatusCode: 486, sipStatus: "Busy Here", detail: "x" }), {
      outcome: "busy",
      reason: "busy_here",
      sip_status_code: 486,
      sip_status: "Busy Here",
      detail: "x",
    });
  });
});
