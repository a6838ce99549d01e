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

/** Deletes the room (hanging up anyone still in it) and ends the job; the worker keeps serving. */
export async function endJob(ctx: JobContext, roomName: string, reason: string): Promise<void> {
  // Named explicitly: before ctx.connect() the room object has no name and deleteRoom() would skip it.
  await ctx.deleteRoom(roomName);
  ctx.shutdown(reason);
}
