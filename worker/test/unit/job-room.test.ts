import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AttributeRoom, attributePublisher } from "../../src/job-room.ts";
import { createJsonLogger } from "../../src/json-log.ts";

/** An agent participant whose setAttributes calls stay pending until the test settles them. */
function fakeAgent() {
  const calls: { attributes: Record<string, string>; resolve: () => void; reject: (error: Error) => void }[] = [];
  const ctx = {
    room: {
      isConnected: true as boolean,
      localParticipant: {
        setAttributes: (attributes: Record<string, string>) =>
          new Promise<void>((resolve, reject) => calls.push({ attributes, resolve, reject })),
      },
    },
  } satisfies AttributeRoom;
  const lines: Record<string, unknown>[] = [];
  const log = createJsonLogger({ write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const publisher = attributePublisher(ctx, log);
  return { ctx, calls, lines, publisher, setAttributes: publisher.set };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("the agent's attribute publisher", () => {
  it("returns at once while an update is pending, and sends the next only once it settled, in order", async () => {
    const agent = fakeAgent();
    agent.setAttributes({ status: "dialing" });
    agent.setAttributes({ status: "active" });
    await turn();
    assert.deepEqual(
      agent.calls.map((c) => c.attributes),
      [{ status: "dialing" }],
    );

    agent.calls[0]?.resolve();
    await turn();
    assert.deepEqual(
      agent.calls.map((c) => c.attributes),
      [{ status: "dialing" }, { status: "active" }],
    );
  });

  it("settles once every update queued so far has, so a job can leave the room after its outcome is published", async () => {
    const agent = fakeAgent();
    agent.setAttributes({ status: "dialing" });
    agent.setAttributes({ status: "ended" });
    let settled = false;
    void agent.publisher.settled().then(() => (settled = true));
    await turn();
    agent.calls[0]?.resolve();
    await turn();
    assert.equal(settled, false);
    agent.calls[1]?.resolve();
    await turn();
    assert.equal(settled, true);
  });

  it("logs a failed update and still sends the next", async () => {
    const agent = fakeAgent();
    agent.setAttributes({ status: "answering" });
    agent.setAttributes({ status: "active" });
    await turn();
    agent.calls[0]?.reject(new Error("engine: request timeout"));
    await turn();

    assert.deepEqual(
      agent.lines.map((l) => [l.event, l.level, (l.error as { message?: string }).message]),
      [["call.attributes_failed", "warn", "engine: request timeout"]],
    );
    assert.deepEqual(agent.calls[1]?.attributes, { status: "active" });
  });

  it("stays quiet about an update cut short because the agent already left the room", async () => {
    const agent = fakeAgent();
    agent.setAttributes({ status: "active" });
    await turn();
    agent.ctx.room.isConnected = false;
    agent.calls[0]?.reject(new Error("aborted"));
    await turn();
    assert.deepEqual(agent.lines, []);
  });
});
