/**
 * The floor's agent: a participant (this process, through @livekit/rtc-node) that joins a room
 * ahead of the call and publishes a steady tone from the moment it joins, so the call's first
 * audio is limited only by LiveKit and livekit-sip, not by anything an agent does.
 */
import "../scripts/dispatch/rtc-log-level";
import { AudioFrame, AudioSource, LocalAudioTrack, Room, TrackPublishOptions, TrackSource } from "@livekit/rtc-node";
import { AccessToken } from "livekit-server-sdk";

const SAMPLE_RATE = 48_000;
const FRAME_SAMPLES = 960; // 20 ms
const TONE_HZ = 440;
const TONE_PEAK = 0.3;

/** A publishing participant; `stop()` leaves the room. */
export interface TonePublisher {
  stop(): Promise<void>;
}

/** Joins `room` on the server at `wsUrl` as `identity` and publishes a tone until stopped. */
export async function startTonePublisher(target: { wsUrl: string; apiKey: string; apiSecret: string }, room: string, identity: string): Promise<TonePublisher> {
  const token = new AccessToken(target.apiKey, target.apiSecret, { identity, ttl: "10m" });
  token.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: false });
  const connection = new Room();
  await connection.connect(target.wsUrl, await token.toJwt(), { autoSubscribe: false, dynacast: false });
  // A short queue: the tone is continuous, so nothing needs buffering ahead.
  const source = new AudioSource(SAMPLE_RATE, 1, 200);
  const track = LocalAudioTrack.createAudioTrack("tone", source);
  await connection.localParticipant?.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
  let playing = true;
  // captureFrame resolves once the source's queue has room, which paces the loop in real time.
  const loop = (async () => {
    for (let offset = 0; playing; offset += FRAME_SAMPLES) {
      const samples = new Int16Array(FRAME_SAMPLES);
      for (let i = 0; i < FRAME_SAMPLES; i++) {
        samples[i] = Math.round(Math.sin((2 * Math.PI * TONE_HZ * (offset + i)) / SAMPLE_RATE) * TONE_PEAK * 32767);
      }
      await source.captureFrame(new AudioFrame(samples, SAMPLE_RATE, 1, FRAME_SAMPLES));
    }
  })();
  return {
    stop: async () => {
      playing = false;
      await loop.catch(() => undefined);
      await source.close();
      await connection.disconnect();
    },
  };
}
