import {
  type AudioFrame,
  AudioStream,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
  TrackKind,
} from "@livekit/rtc-node";
import { AudioFrameCounter, isAudible } from "./audio-frame-counter.ts";

/** Handle on the audio being counted: its totals so far and a way to stop. */
export interface ParticipantAudioWatch {
  counter: AudioFrameCounter;
  stop(): void;
}

/**
 * Counts the audio frames the worker receives from one participant (the callee), on the tracks it
 * has published already and any it publishes later. `onFirstAudible` runs once, on the first frame
 * that is not silence: the proof that the callee's audio reaches the worker.
 */
export function watchParticipantAudio(room: Room, identity: string, onFirstAudible: () => void): ParticipantAudioWatch {
  const counter = new AudioFrameCounter();
  const readers = new Set<ReadableStreamDefaultReader<AudioFrame>>();
  const counted = new Set<string>();
  let heard = false;

  const consume = async (track: RemoteTrack) => {
    if (track.kind !== TrackKind.KIND_AUDIO || !track.sid || counted.has(track.sid)) return;
    counted.add(track.sid);
    const reader = new AudioStream(track, { sampleRate: 16_000, numChannels: 1, frameSizeMs: 100 }).getReader();
    readers.add(reader);
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        const frame = next.value;
        counter.record(frame.data, frame.sampleRate, frame.samplesPerChannel);
        if (!heard && isAudible(frame.data)) {
          heard = true;
          onFirstAudible();
        }
      }
    } catch {
      // A track torn down mid-read (hangup, room deleted) just stops being counted.
    } finally {
      readers.delete(reader);
    }
  };

  const onSubscribed = (track: RemoteTrack, _publication: RemoteTrackPublication, participant: RemoteParticipant) => {
    if (participant.identity === identity) void consume(track);
  };
  room.on(RoomEvent.TrackSubscribed, onSubscribed);
  for (const publication of room.remoteParticipants.get(identity)?.trackPublications.values() ?? []) {
    if (publication.track) void consume(publication.track);
  }

  return {
    counter,
    stop() {
      room.off(RoomEvent.TrackSubscribed, onSubscribed);
      for (const reader of readers) void reader.cancel();
    },
  };
}
