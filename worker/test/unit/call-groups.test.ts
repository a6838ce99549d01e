import assert from "node:assert/strict";
import { once } from "node:events";
import { afterEach, describe, it } from "node:test";
import { CallGroups, type JobSlot } from "../../src/call-groups.ts";
import { createJsonLogger } from "../../src/json-log.ts";

const fakeGroup = new URL("./fixtures/fake-call-group.ts", import.meta.url);
const lines: Record<string, unknown>[] = [];
const log = createJsonLogger({ write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
const started: JobSlot[] = [];

function groups(callsPerProcess: number, slotsPerProcessLifetime = 100): { slot(): JobSlot } {
  const all = new CallGroups({ callsPerProcess, slotsPerProcessLifetime }, log, fakeGroup);
  return {
    slot: () => {
      const slot = all.createSlot();
      started.push(slot);
      return slot;
    },
  };
}

/** The slot's answer to a LiveKit Agents ping: it is alive and its process serves it. */
async function pong(slot: JobSlot): Promise<unknown> {
  const answer = new Promise((resolve) => slot.on("message", (m: { case: string }) => m.case === "pongResponse" && resolve(m)));
  assert.ok(slot.send({ case: "pingRequest", value: { timestamp: Date.now() } }));
  return answer;
}

afterEach(async () => {
  for (const slot of started.splice(0)) if (slot.connected && slot.pid) process.kill(slot.pid, "SIGKILL");
  lines.length = 0;
});

describe("CallGroups", { timeout: 10_000 }, () => {
  it("puts up to callsPerProcess slots in one process, and the next in a second", async () => {
    const g = groups(2);
    const slots = [g.slot(), g.slot(), g.slot()];
    await Promise.all(slots.map(pong));
    assert.equal(slots[0]!.pid, slots[1]!.pid);
    assert.notEqual(slots[2]!.pid, slots[0]!.pid);
  });

  it("gives each call a process of its own with callsPerProcess 1", async () => {
    const g = groups(1);
    const slots = [g.slot(), g.slot()];
    await Promise.all(slots.map(pong));
    assert.notEqual(slots[0]!.pid, slots[1]!.pid);
  });

  it("speaks LiveKit Agents' job process protocol per slot: initialize, then `done` is the slot's exit", async () => {
    const slot = groups(2).slot();
    const initialized = once(slot, "message");
    slot.send({ case: "initializeRequest", value: {} });
    assert.deepEqual(await initialized, [{ case: "initializeResponse" }]);
    const exited = once(slot, "exit");
    slot.send({ case: "shutdownRequest", value: { reason: "test" } });
    assert.deepEqual(await exited, [0, null]);
    assert.equal(slot.connected, false);
    assert.equal(slot.send({ case: "pingRequest" }), false);
  });

  it("abandons a killed slot instead of its process: the call beside it goes on, and the process takes no new slot", async () => {
    const g = groups(2);
    const [killed, beside] = [g.slot(), g.slot()];
    await Promise.all([pong(killed), pong(beside)]);
    const exited = once(killed, "exit");
    assert.ok(killed.kill("SIGKILL"));
    assert.deepEqual(await exited, [null, "SIGKILL"]);
    assert.ok(await pong(beside));
    const next = g.slot();
    await pong(next);
    assert.notEqual(next.pid, beside.pid);
    assert.ok(lines.some((l) => l.event === "call_group.retiring" && l.group_pid === beside.pid));
  });

  it("ends every slot of a process that dies, and only those", async () => {
    const g = groups(2);
    const [a1, a2, b1] = [g.slot(), g.slot(), g.slot()];
    await Promise.all([a1, a2, b1].map(pong));
    const exits = [once(a1, "exit"), once(a2, "exit")];
    process.kill(a1.pid!, "SIGKILL");
    assert.deepEqual(await Promise.all(exits), [
      [null, "SIGKILL"],
      [null, "SIGKILL"],
    ]);
    assert.ok(await pong(b1));
    assert.ok(lines.some((l) => l.event === "call_group.died" && l.signal === "SIGKILL"));
  });

  it("retires a process whose last slot ended: it exits", async () => {
    const slot = groups(2).slot();
    await pong(slot);
    const pid = slot.pid;
    slot.send({ case: "shutdownRequest" });
    await once(slot, "exit");
    while (!lines.some((l) => l.event === "call_group.exited" && l.group_pid === pid)) await new Promise((r) => setTimeout(r, 20));
  });

  it("gives a process no more slots than its lifetime's", async () => {
    const g = groups(4, 2);
    const slots = [g.slot(), g.slot(), g.slot()];
    await Promise.all(slots.map(pong));
    assert.equal(slots[0]!.pid, slots[1]!.pid);
    assert.notEqual(slots[2]!.pid, slots[0]!.pid);
  });
});
