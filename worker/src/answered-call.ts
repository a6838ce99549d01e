import type { JobContext } from "@livekit/agents";
import { type CallParty, waitForCallEnd } from "./call-end.ts";
import { playGreeting } from "./greeting-player.ts";
import type { JsonLogger } from "./json-log.ts";
import { watchParticipantAudio } from "./participant-audio.ts";
import type { PipelineChoice } from "./pipeline-choice.ts";
import { startVoiceSession } from "./voice-session.ts";

// How long an answered person may take to appear in the room before the call is given up.
const JOIN_TIMEOUT_MS = 10_000;

/**
 * Starts the chosen voice agent on the person `identity`; it speaks first once `ready` resolves.
 * The returned promise resolves only if the agent fails (the person would hear nothing, so the call
 * ends); while the agent runs it stays pending and the hangup ends the call.
 */
export function startAgentVoice(
  ctx: JobContext,
  log: JsonLogger,
  pipeline: PipelineChoice,
  identity: string,
  ready: Promise<void> = Promise.resolve(),
): Promise<"voice_failed"> {
  const started =
    pipeline.kind === "greeting"
      ? playGreeting(ctx, ready).then(() => log.info("call.greeting_played", {}))
      : startVoiceSession(ctx.room, pipeline, identity, ready).then(() =>
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

/**
 * Holds an answered call until it ends: counts the audio received from the person (logging
 * `call.audio_received` on the first audible frame), waits for their hangup, the room closing or
 * the agent failing, then logs `call.ended` with the audio totals. Returns why it ended.
 */
export async function holdAnsweredCall(
  ctx: JobContext,
  log: JsonLogger,
  identity: string,
  party: CallParty,
  answeredAt: number,
  voice: Promise<"voice_failed">,
): Promise<string> {
  const ended = waitForCallEnd(ctx.room, identity, JOIN_TIMEOUT_MS, party);
  const audio = watchParticipantAudio(ctx.room, identity, () =>
    log.info("call.audio_received", { participant: identity, audio_frames_received: audio.counter.totals().frames }),
  );
  const reason = await Promise.race([ended, voice]);
  audio.stop();
  const received = audio.counter.totals();
  log.info("call.ended", {
    reason,
    duration_seconds: (Date.now() - answeredAt) / 1000,
    audio_frames_received: received.frames,
    audio_frames_audible: received.audibleFrames,
    audio_seconds_received: received.seconds,
  });
  return reason;
}
