import type { JobContext } from "@livekit/agents";
import type { JsonLogger } from "./json-log.ts";

/** Sets attributes on the agent's participant; a failure is logged, never fatal. */
export async function setAttributes(ctx: JobContext, log: JsonLogger, attributes: Record<string, string>): Promise<void> {
  try {
    await ctx.room.localParticipant?.setAttributes(attributes);
  } catch (error) {
    // Attributes are a courtesy to observers; the call goes on without them.
    log.warn("call.attributes_failed", { error });
  }
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
