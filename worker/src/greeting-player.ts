import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  type Room,
  TrackPublishOptions,
  TrackSource,
} from "@livekit/rtc-node";
import { greetingToneFrames } from "./greeting-tone.ts";

const SAMPLE_RATE = 48000;

/**
 * Publishes the agent's audio track and plays the generated greeting on it once the phone's side
 * subscribes and `ready` has resolved, then leaves the track open (silent) until the call ends.
 * Resolves when the greeting has been played out. An inbound call passes its answer as `ready`:
 * livekit-sip answers the caller only after it subscribed, and audio before the answer is lost.
 */
export async function playGreeting(room: Room, ready: Promise<void> = Promise.resolve()): Promise<void> {
  const participant = room.localParticipant;
  if (!participant) throw new Error("cannot play the greeting: the agent is not connected to the room");
  const source = new AudioSource(SAMPLE_RATE, 1);
  const track = LocalAudioTrack.createAudioTrack("greeting", source);
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
