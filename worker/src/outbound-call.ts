import { AutoSubscribe, type JobContext } from "@livekit/agents";
import { dialingAttributes, outcomeAttributes } from "./call-attributes.ts";
import { waitForCallEnd } from "./call-end.ts";
import { type CallMetadata, parseCallMetadata } from "./call-metadata.ts";
import { playGreeting } from "./greeting-player.ts";
import { createJsonLogger, type JsonLogger } from "./json-log.ts";
import { watchParticipantAudio } from "./participant-audio.ts";
import { type PipelineChoice, choosePipeline } from "./pipeline-choice.ts";
import { calleeIdentity, dialCallee } from "./sip-dial.ts";
import type { CallOutcome } from "./sip-outcome.ts";
import { startVoiceSession } from "./voice-session.ts";
import { type WorkerConfig, loadWorkerConfig } from "./worker-config.ts";

// How long an answered callee may take to appear in the room before the call is given up.
const CALLEE_JOIN_TIMEOUT_MS = 10_000;

/**
 * One job = one outbound call: validate the metadata, join the room, dial the callee and wait for
 * the answer, run the voice agent until the callee hangs up. However it goes (invalid metadata,
 * any dial outcome, an unexpected error), the outcome is logged as JSON, the room is deleted and
 * the job ends cleanly, so the worker process keeps serving the next job.
 */
export async function runOutboundCall(ctx: JobContext): Promise<void> {
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

  const parsed = parseCallMetadata(ctx.job.metadata);
  if (!parsed.ok) {
    jobLog.error("call.invalid_metadata", { problems: parsed.problems });
    await endJob(ctx, roomName, "invalid job metadata");
    return;
  }
  const metadata = parsed.metadata;
  const log = jobLog.child({ call_id: metadata.callId, ...(metadata.agent ? { agent: metadata.agent } : {}) });

  let reason: string;
  try {
    reason = await placeCall(ctx, log, configResult.config, pipelineResult.choice, metadata, roomName);
  } catch (error) {
    log.error("call.failed", { error });
    reason = "unexpected error";
  }
  await endJob(ctx, roomName, reason);
}

/**
 * Dials and, once answered, runs the call until it ends; returns why the job ends. The dial starts
 * before the agent joins the room: CreateSIPParticipant puts the callee in the room either way, and
 * joining (signalling, ICE, DTLS) takes about as long again as the dial, so waiting for it first
 * would delay every call's ringing by that much.
 */
async function placeCall(
  ctx: JobContext,
  log: JsonLogger,
  config: WorkerConfig,
  pipeline: PipelineChoice,
  metadata: CallMetadata,
  roomName: string,
): Promise<string> {
  log.info("call.dialing", {
    phone_number: metadata.phoneNumber,
    caller_id: metadata.callerId ?? config.defaultCallerId ?? null,
    sip_trunk_id: config.sipOutboundTrunkId,
    ringing_timeout_seconds: config.ringingTimeoutSeconds,
    pipeline: pipeline.kind,
  });
  const dialStarted = Date.now();
  let dialSettled = false;
  // Logged the moment the outcome is known, not once the agent has joined.
  const dialed = dialCallee(config, metadata, roomName).then((outcome) => {
    const settledAt = Date.now();
    dialSettled = true;
    const fields = { ...outcomeLogFields(outcome), dial_seconds: (settledAt - dialStarted) / 1000 };
    if (outcome.outcome === "answered") log.info("call.outcome", fields);
    else log.warn("call.outcome", fields);
    return { outcome, settledAt };
  });

  await ctx.connect(undefined, AutoSubscribe.AUDIO_ONLY);
  if (!dialSettled) await setAttributes(ctx, log, dialingAttributes(metadata.callId));
  const { outcome, settledAt: answeredAt } = await dialed;
  await setAttributes(ctx, log, outcomeAttributes(metadata.callId, outcome));
  if (outcome.outcome !== "answered") return `call ${outcome.outcome}`;

  const identity = calleeIdentity(metadata.callId);
  const ended = waitForCallEnd(ctx.room, identity, CALLEE_JOIN_TIMEOUT_MS);
  const audio = watchParticipantAudio(ctx.room, identity, () =>
    log.info("call.audio_received", { participant: identity, audio_frames_received: audio.counter.totals().frames }),
  );
  const reason = await Promise.race([ended, runVoice(ctx, log, pipeline, identity)]);
  audio.stop();
  const received = audio.counter.totals();
  log.info("call.ended", {
    reason,
    duration_seconds: (Date.now() - answeredAt) / 1000,
    audio_frames_received: received.frames,
    audio_frames_audible: received.audibleFrames,
    audio_seconds_received: received.seconds,
  });
  return `call ended: ${reason}`;
}

/**
 * Starts the chosen voice agent. Resolves only if it fails (the callee would hear nothing, so the
 * call ends); while it runs the promise stays pending and the callee's hangup ends the call.
 */
function runVoice(ctx: JobContext, log: JsonLogger, pipeline: PipelineChoice, identity: string): Promise<"voice_failed"> {
  const started =
    pipeline.kind === "greeting"
      ? playGreeting(ctx.room).then(() => log.info("call.greeting_played", {}))
      : startVoiceSession(ctx.room, pipeline, identity).then(() =>
          log.info("call.voice_started", { pipeline: pipeline.kind, reason: pipeline.reason }),
        );
  return started.then(
    () => new Promise<never>(() => {}),
    (error: unknown) => {
      log.error("call.voice_failed", { pipeline: pipeline.kind, error });
      return "voice_failed" as const;
    },
  );
}

/** Log fields of an outcome, snake_case like every other field. */
function outcomeLogFields(outcome: CallOutcome): Record<string, unknown> {
  return {
    outcome: outcome.outcome,
    reason: outcome.reason,
    sip_status_code: outcome.sipStatusCode ?? null,
    sip_status: outcome.sipStatus ?? null,
    ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
  };
}

async function setAttributes(ctx: JobContext, log: JsonLogger, attributes: Record<string, string>): Promise<void> {
  try {
    await ctx.room.localParticipant?.setAttributes(attributes);
  } catch (error) {
    // Attributes are a courtesy to observers; the call goes on without them.
    log.warn("call.attributes_failed", { error });
  }
}

/** Deletes the room (hanging up anyone still in it) and ends the job; the worker keeps serving. */
async function endJob(ctx: JobContext, roomName: string, reason: string): Promise<void> {
  // Named explicitly: before ctx.connect() the room object has no name and deleteRoom() would skip it.
  await ctx.deleteRoom(roomName);
  ctx.shutdown(reason);
}
