import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LIVEKIT_TARGET_LOAD, callLoad } from "../../src/call-capacity.ts";

describe("callLoad", () => {
  it("reports an idle worker as unloaded", () => {
    assert.equal(callLoad(0, 4), 0);
  });

  it("stays below LiveKit's target load until the limit, so the server keeps dispatching", () => {
    for (let active = 0; active < 4; active++) assert.ok(callLoad(active, 4) < LIVEKIT_TARGET_LOAD);
  });

  it("reaches the target load exactly at the limit, and never exceeds it", () => {
    assert.equal(callLoad(4, 4), LIVEKIT_TARGET_LOAD);
    assert.equal(callLoad(9, 4), LIVEKIT_TARGET_LOAD);
    assert.equal(callLoad(1, 1), LIVEKIT_TARGET_LOAD);
  });
});
