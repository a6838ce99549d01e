import type { JobContext } from "@livekit/agents";
import { answerInboundCall } from "./inbound-call.ts";
import { jobRequestFrom } from "./job-request.ts";
import { createJsonLogger } from "./json-log.ts";
import { endJob } from "./job-room.ts";
import { placeOutboundCall } from "./outbound-call.ts";
import { choosePipeline } from "./pipeline-choice.ts";
import { loadWorkerConfig } from "./worker-config.ts";

/**
 * One job = one call, either direction: a backend's dispatch with `{phone_number, call_id}`
 * metadata is an outbound call the worker dials; a job with no metadata in a room whose SIP
 * participant came in through the inbound trunk is an inbound call the worker answers. However it
 * goes (a job that is neither, any outcome, an unexpected error), the outcome is logged as JSON,
 * the room is deleted and the job ends cleanly, so the worker process keeps serving the next job.
 */
export async function runCallJob(ctx: JobContext): Promise<void> {
  const roomName = ctx.job.room?.name ?? "";
  const jobLog = createJsonLogger({ fields: { job_id: ctx.job.id, room: roomName } });

  // main.ts checked the same environment before registering; this only narrows the types.
  const configResult = loadWorkerConfig(process.env);
  const pipelineResult = choosePipeline(process.env);
  if (!configResult.ok || !pipelineResult.ok) {
    const problems = [
      ...(configResult.ok ? [] : configResult.problems),
      ...(pipelineResult.ok ? [] : pipelineResult.problems),
    ];
    jobLog.error("worker.config_invalid", { problems });
    await endJob(ctx, roomName, "worker configuration invalid");
    return;
  }

  const request = jobRequestFrom(ctx.job.metadata);
  if (request.kind === "invalid") {
    jobLog.error("call.invalid_metadata", { problems: request.problems });
    await endJob(ctx, roomName, "invalid job metadata");
    return;
  }

  let reason: string;
  let log = jobLog.child({ direction: request.kind });
  try {
    if (request.kind === "outbound") {
      const { metadata } = request;
      log = log.child({ call_id: metadata.callId, ...(metadata.agent ? { agent: metadata.agent } : {}) });
      reason = await placeOutboundCall(ctx, log, configResult.config, pipelineResult.choice, metadata, roomName);
    } else {
      reason = await answerInboundCall(ctx, log, pipelineResult.choice);
    }
  } catch (error) {
    log.error("call.failed", { error });
    reason = "unexpected error";
  }
  await endJob(ctx, roomName, reason);
}
