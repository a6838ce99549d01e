import type { JobContext } from "@livekit/agents";
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  TrackPublishOptions,
  TrackSource,
} from "@livekit/rtc-node";
import { greetingToneFrames } from "./greeting-tone.ts";

const SAMPLE_RATE = 48000;

/**
 * Publishes the agent's audio track and plays the generated greeting on it once the phone's side
 * subscribes and `ready` has resolved, then leaves the track open (silent) until the job ends,
 * when the track and its source are closed: the source's capture thread would otherwise outlive
 * the call in its call group process. Resolves when the greeting has been played out. An inbound
 * call passes its answer as `ready`: livekit-sip answers the caller only after it subscribed,
 * and audio before the answer is lost.
 */
export async function playGreeting(ctx: JobContext, ready: Promise<void> = Promise.resolve()): Promise<void> {
  const participant = ctx.room.localParticipant;
  if (!participant) throw new Error("cannot play the greeting: the agent is not connected to the room");
  const source = new AudioSource(SAMPLE_RATE, 1);
  const track = LocalAudioTrack.createAudioTrack("greeting", source);
  ctx.addShutdownCallback(() => track.close(true));
  const publication = await participant.publishTrack(
    track,
    new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
  );
  // Audio captured before the SIP participant subscribes would be lost, and with it the greeting.
  await publication.waitForSubscription();
  await ready;
  for (const samples of greetingToneFrames({ sampleRate: SAMPLE_RATE })) {
    await source.captureFrame(new AudioFrame(samples, SAMPLE_RATE, 1, samples.length));
  }
  await source.waitForPlayout();
}
