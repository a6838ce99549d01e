import { AutoSubscribe, type JobContext } from "@livekit/agents";
import { holdAnsweredCall, startAgentVoice } from "./answered-call.ts";
import { dialingAttributes, outcomeAttributes } from "./call-attributes.ts";
import type { CallMetadata } from "./call-metadata.ts";
import type { JsonLogger } from "./json-log.ts";
import { attributePublisher } from "./job-room.ts";
import type { PipelineChoice } from "./pipeline-choice.ts";
import { calleeIdentity, dialCallee } from "./sip-dial.ts";
import { type CallOutcome, outcomeLogFields } from "./sip-outcome.ts";
import type { WorkerConfig } from "./worker-config.ts";

/**
 * One outbound call: dials and, once answered, runs the call until it ends; returns why the job
 * ends. The dial starts before the agent joins the room: CreateSIPParticipant puts the callee in
 * the room either way, and joining (signalling, ICE, DTLS) takes about as long again as the dial,
 * so waiting for it first would delay every call's ringing by that much. `onOutcome` hears the
 * outcome with the seconds from dialling to it, when it is logged.
 */
export async function placeOutboundCall(
  ctx: JobContext,
  log: JsonLogger,
  config: WorkerConfig,
  pipeline: PipelineChoice,
  metadata: CallMetadata,
  roomName: string,
  onOutcome: (outcome: CallOutcome, setupSeconds: number) => void,
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
    const dialSeconds = (settledAt - dialStarted) / 1000;
    const fields = { ...outcomeLogFields(outcome), dial_seconds: dialSeconds };
    if (outcome.outcome === "answered") log.info("call.outcome", fields);
    else log.warn("call.outcome", fields);
    onOutcome(outcome, dialSeconds);
    return { outcome, settledAt };
  });

  await ctx.connect(undefined, AutoSubscribe.AUDIO_ONLY);
  const attributes = attributePublisher(ctx, log);
  if (!dialSettled) attributes.set(dialingAttributes(metadata.callId));
  const { outcome, settledAt: answeredAt } = await dialed;
  attributes.set(outcomeAttributes(metadata.callId, outcome));
  if (outcome.outcome !== "answered") {
    // The job leaves the room next: the backend reads the outcome from these attributes.
    await attributes.settled();
    return `call ${outcome.outcome}`;
  }

  const identity = calleeIdentity(metadata.callId);
  const reason = await holdAnsweredCall(ctx, log, identity, "callee", answeredAt, startAgentVoice(ctx, log, pipeline, identity));
  return `call ended: ${reason}`;
}
