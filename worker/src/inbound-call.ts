import { AutoSubscribe, type JobContext } from "@livekit/agents";
import { holdAnsweredCall, startAgentVoice } from "./answered-call.ts";
import { answeringAttributes, outcomeAttributes } from "./call-attributes.ts";
import { participantView, waitForAnswer, waitForSipParticipant } from "./caller-presence.ts";
import { inboundCallerFrom, inboundOutcome } from "./inbound-caller.ts";
import { notACallProblems } from "./job-request.ts";
import type { JsonLogger } from "./json-log.ts";
import { attributePublisher } from "./job-room.ts";
import type { PipelineChoice } from "./pipeline-choice.ts";
import { type CallOutcome, outcomeLogFields } from "./sip-outcome.ts";

// livekit-sip's join created the room and so dispatched this job: the caller is there or joining.
const CALLER_JOIN_TIMEOUT_MS = 10_000;
// livekit-sip answers as soon as it has subscribed to the agent's track; it gives up itself after
// the inbound trunk's ringing timeout, so this only bounds a livekit-sip that went away mid-call.
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * One inbound call: finds the caller livekit-sip put in the room (a SIP participant admitted by a
 * dispatch rule), publishes the agent's audio (livekit-sip answers the caller once it subscribed),
 * and once answered runs the agent until the caller hangs up; returns why the job ends. A room
 * without such a caller is no call: logged as `call.invalid_job`. `onOutcome` hears the outcome
 * with the seconds from the job's start to it, when it is logged.
 */
export async function answerInboundCall(
  ctx: JobContext,
  jobLog: JsonLogger,
  pipeline: PipelineChoice,
  onOutcome: (outcome: CallOutcome, setupSeconds: number) => void,
): Promise<string> {
  await ctx.connect(undefined, AutoSubscribe.AUDIO_ONLY);
  const participant = await waitForSipParticipant(ctx.room, CALLER_JOIN_TIMEOUT_MS);
  const found = participant
    ? inboundCallerFrom(participantView(participant))
    : { ok: false as const, problem: `no SIP participant joined the room within ${CALLER_JOIN_TIMEOUT_MS / 1000} s` };
  if (!found.ok) {
    jobLog.error("call.invalid_job", { problems: notACallProblems(found.problem) });
    return "neither an outbound request nor an inbound call";
  }
  const caller = found.caller;
  // Every line of the call names who called which number through which trunk.
  const log = jobLog.child({
    call_id: caller.callId,
    caller_number: caller.callerNumber,
    called_number: caller.calledNumber,
    sip_trunk_id: caller.trunkId,
    sip_dispatch_rule_id: caller.dispatchRuleId,
  });
  log.info("call.incoming", { participant: caller.identity, pipeline: pipeline.kind });
  const attributes = attributePublisher(ctx, log);
  attributes.set(answeringAttributes(caller.callId));

  const started = Date.now();
  let markAnswered: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (markAnswered = resolve));
  // Publishing the agent's track is what makes livekit-sip answer; the agent speaks once it has.
  const voice = startAgentVoice(ctx, log, pipeline, caller.identity, answered);
  const wait = await Promise.race([waitForAnswer(ctx.room, caller.identity, ANSWER_TIMEOUT_MS), voice]);
  const answeredAt = Date.now();
  const outcome = inboundOutcome(wait);
  const answerSeconds = (answeredAt - started) / 1000;
  const fields = { ...outcomeLogFields(outcome), answer_seconds: answerSeconds };
  if (outcome.outcome === "answered") log.info("call.outcome", fields);
  else log.warn("call.outcome", fields);
  onOutcome(outcome, answerSeconds);
  attributes.set(outcomeAttributes(caller.callId, outcome));
  if (outcome.outcome !== "answered") {
    // The job leaves the room next: observers read the outcome from these attributes.
    await attributes.settled();
    return `call ${outcome.outcome}`;
  }

  markAnswered();
  const reason = await holdAnsweredCall(ctx, log, caller.identity, "caller", answeredAt, voice);
  return `call ended: ${reason}`;
}
