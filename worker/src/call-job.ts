import type { JobContext } from "@livekit/agents";
import { type CallDirection, outcomeReport } from "./call-metrics.ts";
import { slotReporter } from "./call-reporter.ts";
import { answerInboundCall } from "./inbound-call.ts";
import { jobRequestFrom } from "./job-request.ts";
import { createJsonLogger } from "./json-log.ts";
import { endJob } from "./job-room.ts";
import { placeOutboundCall } from "./outbound-call.ts";
import { choosePipeline } from "./pipeline-choice.ts";
import type { CallOutcome } from "./sip-outcome.ts";
import { loadWorkerConfig } from "./worker-config.ts";

/**
 * One job = one call, either direction: a backend's dispatch with `{phone_number, call_id}`
 * metadata is an outbound call the worker dials; a job with no metadata in a room whose SIP
 * participant came in through the inbound trunk is an inbound call the worker answers. However it
 * goes (a job that is neither, any outcome, an unexpected error), the outcome is logged as JSON,
 * the room is deleted and the job ends cleanly, so the worker process keeps serving the next job.
 * The worker's metrics count the job as dispatched and then answered or failed: a job that ends
 * without an outcome (invalid, not a call, an unexpected error) counts as failed with `error`.
 * A probe (see {@link jobRequestFrom}) is no call: logged, its room deleted, not counted.
 */
export async function runCallJob(ctx: JobContext): Promise<void> {
  const roomName = ctx.job.room?.name ?? "";
  // The PID ties a crashed or stuck call to the call group process to look at.
  const jobLog = createJsonLogger({ fields: { job_id: ctx.job.id, room: roomName, pid: process.pid } });
  const request = jobRequestFrom(ctx.job.metadata);
  if (request.kind === "probe") {
    // Ended before connecting: the prober may have deleted the room already, and a job waiting
    // on a room that is gone holds a call slot until LiveKit Agents' 15 s shutdown timeout.
    jobLog.info("job.probe", { source: request.source });
    await endJob(ctx, roomName, `probe from ${request.source}`);
    return;
  }
  const reporter = slotReporter(ctx.proc);
  let direction: CallDirection = ctx.job.metadata ? "outbound" : "inbound";
  let reported = false;
  const onOutcome = (outcome: CallOutcome, setupSeconds: number) => {
    reported = true;
    reporter.report(outcomeReport(direction, outcome.outcome, setupSeconds));
  };
  const end = async (reason: string) => {
    if (!reported) reporter.report({ event: "failed", direction, outcome: "error" });
    reporter.report({ event: "ended" });
    await endJob(ctx, roomName, reason);
  };
  reporter.report({ event: "dispatched", direction });

  // main.ts checked the same environment before registering; this only narrows the types.
  const configResult = loadWorkerConfig(process.env);
  const pipelineResult = choosePipeline(process.env);
  if (!configResult.ok || !pipelineResult.ok) {
    const problems = [
      ...(configResult.ok ? [] : configResult.problems),
      ...(pipelineResult.ok ? [] : pipelineResult.problems),
    ];
    jobLog.error("worker.config_invalid", { problems });
    await end("worker configuration invalid");
    return;
  }

  if (request.kind === "invalid") {
    jobLog.error("call.invalid_metadata", { problems: request.problems });
    await end("invalid job metadata");
    return;
  }
  direction = request.kind;

  let reason: string;
  let log = jobLog.child({ direction: request.kind });
  try {
    if (request.kind === "outbound") {
      const { metadata } = request;
      log = log.child({ call_id: metadata.callId, ...(metadata.agent ? { agent: metadata.agent } : {}) });
      reason = await placeOutboundCall(ctx, log, configResult.config, pipelineResult.choice, metadata, roomName, onOutcome);
    } else {
      reason = await answerInboundCall(ctx, log, pipelineResult.choice, onOutcome);
    }
  } catch (error) {
    log.error("call.failed", { error });
    reason = "unexpected error";
  }
  await end(reason);
}
