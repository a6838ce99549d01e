import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type GroupLoad, chooseGroup, parseFromGroup, parseToGroup } from "../../src/call-group-plan.ts";

const limits = { callsPerProcess: 4, slotsPerProcessLifetime: 10 };
const group = (id: number, live: number, given = live, accepting = true): GroupLoad => ({ id, live, given, accepting });

describe("chooseGroup", () => {
  it("starts a group when there is none", () => {
    assert.equal(chooseGroup([], limits), undefined);
  });

  it("packs a slot into the fullest group with room, so an emptied group can exit", () => {
    assert.equal(chooseGroup([group(1, 1), group(2, 3), group(3, 2)], limits), 2);
  });

  it("skips a full group, and starts one when every group is full", () => {
    assert.equal(chooseGroup([group(1, 4), group(2, 2)], limits), 2);
    assert.equal(chooseGroup([group(1, 4), group(2, 4)], limits), undefined);
  });

  it("never gives a slot to a group that stopped accepting (tainted or retiring)", () => {
    assert.equal(chooseGroup([group(1, 3, 3, false), group(2, 1)], limits), 2);
    assert.equal(chooseGroup([group(1, 0, 0, false)], limits), undefined);
  });

  it("never gives a slot to a group that served its lifetime's slots", () => {
    assert.equal(chooseGroup([group(1, 1, 10), group(2, 0, 3)], limits), 2);
  });

  it("with one call per process, gives every slot a group of its own", () => {
    assert.equal(chooseGroup([group(1, 1), group(2, 1)], { ...limits, callsPerProcess: 1 }), undefined);
  });
});

describe("the call group messages", () => {
  it("reads a slot's LiveKit Agents message and a group's own, both ways", () => {
    assert.deepEqual(parseFromGroup({ slot: 3, message: { case: "done" } }), { slot: 3, message: { case: "done" } });
    assert.deepEqual(parseFromGroup({ tainted: "an uncaught exception" }), { tainted: "an uncaught exception" });
    assert.deepEqual(parseToGroup({ slot: 2, message: { case: "pingRequest", value: { timestamp: 1 } } }), {
      slot: 2,
      message: { case: "pingRequest", value: { timestamp: 1 } },
    });
    assert.deepEqual(parseToGroup({ slot: 2, abandon: true }), { slot: 2, abandon: true });
    assert.deepEqual(parseToGroup({ retire: true }), { retire: true });
  });

  it("ignores anything else instead of throwing", () => {
    for (const junk of [null, 7, "done", {}, { slot: "1", message: { case: "done" } }, { slot: 1.5, message: { case: "done" } }, { slot: 1, message: {} }, { retire: "yes" }]) {
      assert.equal(parseFromGroup(junk), undefined, JSON.stringify(junk));
      assert.equal(parseToGroup(junk), undefined, JSON.stringify(junk));
    }
  });
});
