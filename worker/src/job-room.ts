import type { JobContext } from "@livekit/agents";
import type { JsonLogger } from "./json-log.ts";

/** The agent's participant, as far as publishing its attributes goes. */
export interface AttributeRoom {
  room: {
    readonly isConnected: boolean;
    readonly localParticipant?: { setAttributes(attributes: Record<string, string>): Promise<void> };
  };
}

/** Publishes attributes on the agent's participant; `settled` waits for what was queued so far. */
export interface AttributePublisher {
  set(attributes: Record<string, string>): void;
  settled(): Promise<void>;
}

/**
 * Publishes attributes on the agent's participant, in the order given and without holding up the
 * call; a job awaits `settled()` before it leaves the room, so observers get the final outcome.
 * rtc-node's setAttributes can sit out its whole 5 s timeout on a reply that already came (the Rust
 * SDK listens for the reply only after sending the request): a call that waited on it answered
 * late, or missed a callee who joined and hung up meanwhile. A failure is logged, never fatal; one
 * cut short because the call already left the room is not.
 */
export function attributePublisher(ctx: AttributeRoom, log: JsonLogger): AttributePublisher {
  let queue = Promise.resolve();
  const publish = async (attributes: Record<string, string>) => {
    try {
      await ctx.room.localParticipant?.setAttributes(attributes);
    } catch (error) {
      // Attributes are a courtesy to observers; the call goes on without them.
      if (ctx.room.isConnected) log.warn("call.attributes_failed", { error });
    }
  };
  return {
    set: (attributes) => {
      queue = queue.then(() => publish(attributes));
    },
    settled: () => queue,
  };
}

/**
 * Leaves and deletes the room (hanging up anyone still in it) and ends the job; the worker keeps
 * serving. The agent leaves first: @livekit/rtc-node 0.13 releases a room (its native side, the
 * tracks it published and their capture threads) only when the client disconnects, and a room
 * the server closes stays held in its call group process.
 */
export async function endJob(ctx: JobContext, roomName: string, reason: string): Promise<void> {
  await ctx.room.disconnect();
  // Named explicitly: before ctx.connect() the room object has no name and deleteRoom() would skip it.
  await ctx.deleteRoom(roomName);
  ctx.shutdown(reason);
}
