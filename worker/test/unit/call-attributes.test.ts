import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ATTRIBUTES, answeringAttributes, dialingAttributes, outcomeAttributes } from "../../src/call-attributes.ts";
import { ANSWERED } from "../../src/sip-outcome.ts";

describe("call attributes", () => {
  it("marks the call as dialing", () => {
    assert.deepEqual(dialingAttributes("c1"), { [ATTRIBUTES.callId]: "c1", [ATTRIBUTES.callStatus]: "dialing" });
  });

  it("marks an inbound call as being answered", () => {
    assert.deepEqual(answeringAttributes("SCL_1"), { [ATTRIBUTES.callId]: "SCL_1", [ATTRIBUTES.callStatus]: "answering" });
  });

  it("records an answered call as active with SIP 200", () => {
    const attrs = outcomeAttributes("c1", ANSWERED);
    assert.equal(attrs[ATTRIBUTES.callStatus], "active");
    assert.equal(attrs[ATTRIBUTES.outcome], "answered");
    assert.equal(attrs[ATTRIBUTES.sipStatusCode], "200");
  });

  it("records a failure with its SIP status, and clears fields it does not know", () => {
    const busy = outcomeAttributes("c1", { outcome: "busy", reason: "busy_here", sipStatusCode: 486, sipStatus: "Busy Here" });
    assert.deepEqual(busy, {
      [ATTRIBUTES.callId]: "c1",
      [ATTRIBUTES.callStatus]: "ended",
      [ATTRIBUTES.outcome]: "busy",
      [ATTRIBUTES.reason]: "busy_here",
      [ATTRIBUTES.sipStatusCode]: "486",
      [ATTRIBUTES.sipStatus]: "Busy Here",
    });
    const timeout = outcomeAttributes("c1", { outcome: "no_answer", reason: "ringing_timeout" });
    assert.equal(timeout[ATTRIBUTES.sipStatusCode], "");
    assert.equal(timeout[ATTRIBUTES.sipStatus], "");
  });

  it("keeps every key under the worker's own prefix", () => {
    for (const key of Object.keys(outcomeAttributes("c1", ANSWERED))) assert.match(key, /^agent_studio\./);
  });
});
