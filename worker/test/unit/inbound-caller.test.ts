import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { callerAnswered, inboundCallerFrom, inboundOutcome } from "../../src/inbound-caller.ts";

// What livekit-server's dispatch-rule evaluation gives an inbound caller's participant.
const inboundAttributes = {
  "sip.callID": "SCL_abc123",
  "sip.trunkID": "ST_inbound1",
  "sip.ruleID": "SDR_rule1",
  "sip.phoneNumber": "+15550100999",
  "sip.hostname": "127.0.0.2",
  "sip.trunkPhoneNumber": "+15550100001",
  "sip.callStatus": "ringing",
};

describe("inbound caller", () => {
  it("reads the caller, the number called, the trunk and the rule off a SIP participant a dispatch rule admitted", () => {
    assert.deepEqual(inboundCallerFrom({ identity: "sip_+15550100999", isSip: true, attributes: inboundAttributes }), {
      ok: true,
      caller: {
        identity: "sip_+15550100999",
        callId: "SCL_abc123",
        trunkId: "ST_inbound1",
        dispatchRuleId: "SDR_rule1",
        callerNumber: "+15550100999",
        calledNumber: "+15550100001",
      },
    });
  });

  it("accepts a caller whose rule hides the numbers, with the numbers unknown", () => {
    const { "sip.phoneNumber": _caller, "sip.trunkPhoneNumber": _called, ...hidden } = inboundAttributes;
    const result = inboundCallerFrom({ identity: "sip_1a2b", isSip: true, attributes: hidden });
    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && [result.caller.callerNumber, result.caller.calledNumber], [null, null]);
  });

  it("refuses an outbound call's leg: a SIP participant without sip.ruleID", () => {
    const { "sip.ruleID": _rule, ...outbound } = inboundAttributes;
    const result = inboundCallerFrom({ identity: "sip-call-1", isSip: true, attributes: outbound });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.problem : "", /^participant "sip-call-1" is a SIP participant without sip\.ruleID: not a call admitted by an inbound trunk/);
  });

  it("names every missing attribute, and treats an empty one as missing", () => {
    const result = inboundCallerFrom({ identity: "x", isSip: true, attributes: { "sip.ruleID": "", "sip.callID": "SCL_1" } });
    assert.match(!result.ok ? result.problem : "", /without sip\.ruleID, sip\.trunkID:/);
  });

  it("refuses a participant that is not a SIP participant, whatever attributes it carries", () => {
    const result = inboundCallerFrom({ identity: "browser", isSip: false, attributes: inboundAttributes });
    assert.deepEqual(result, { ok: false, problem: 'participant "browser" is not a SIP participant, so it is no inbound caller' });
  });

  it("knows the caller is answered only once livekit-sip marks the call active", () => {
    assert.equal(callerAnswered(inboundAttributes), false);
    assert.equal(callerAnswered({ ...inboundAttributes, "sip.callStatus": "active" }), true);
    assert.equal(callerAnswered({ ...inboundAttributes, "sip.callStatus": "hangup" }), false);
  });

  it("turns the wait for the answer into the call's outcome", () => {
    assert.deepEqual(inboundOutcome("answered"), { outcome: "answered", reason: "answered", sipStatusCode: 200 });
    assert.deepEqual(inboundOutcome("caller_hung_up"), { outcome: "abandoned", reason: "caller_hung_up" });
    assert.deepEqual(inboundOutcome("not_answered"), { outcome: "failed", reason: "not_answered" });
    assert.deepEqual(inboundOutcome("room_closed"), { outcome: "failed", reason: "room_closed" });
    assert.deepEqual(inboundOutcome("voice_failed"), { outcome: "failed", reason: "voice_failed" });
  });
});
