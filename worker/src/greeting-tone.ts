/** Pitches of the greeting's three notes (C5, E5, G5: a rising major chord). */
export const GREETING_NOTES_HZ = [523.25, 659.25, 783.99] as const;
/** Length of each note. */
export const GREETING_NOTE_MS = 300;
/** Silence between notes. */
export const GREETING_GAP_MS = 60;
/** Peak amplitude as a fraction of full scale: clearly audible, far from clipping. */
export const GREETING_PEAK = 0.3;
// Raised-cosine ramps at each note's ends; without them every note starts and stops with a click.
const RAMP_MS = 10;

/** Sample format of the generated greeting. */
export interface GreetingFormat {
  /** Samples per second. Defaults to 48000 (what WebRTC audio tracks carry). */
  sampleRate?: number;
  /** Duration of each frame handed to the audio source. Defaults to 20 ms. */
  frameMs?: number;
}

/**
 * Generates the deterministic greeting played to the callee when no AI provider is configured:
 * three rising sine notes as 16-bit mono PCM, cut into equal frames (the last padded with
 * silence). The same format always yields the same samples, so no audio file is downloaded or
 * shipped.
 */
export function greetingToneFrames(format: GreetingFormat = {}): Int16Array[] {
  const sampleRate = format.sampleRate ?? 48000;
  const frameMs = format.frameMs ?? 20;
  const noteSamples = Math.round((sampleRate * GREETING_NOTE_MS) / 1000);
  const gapSamples = Math.round((sampleRate * GREETING_GAP_MS) / 1000);
  const rampSamples = Math.round((sampleRate * RAMP_MS) / 1000);
  const total = GREETING_NOTES_HZ.length * noteSamples + (GREETING_NOTES_HZ.length - 1) * gapSamples;
  const pcm = new Int16Array(total);

  GREETING_NOTES_HZ.forEach((hz, note) => {
    const start = note * (noteSamples + gapSamples);
    for (let i = 0; i < noteSamples; i++) {
      const edge = Math.min(i, noteSamples - 1 - i);
      const envelope = edge < rampSamples ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / rampSamples) : 1;
      const sample = Math.sin((2 * Math.PI * hz * i) / sampleRate) * envelope * GREETING_PEAK;
      pcm[start + i] = Math.round(sample * 32767);
    }
  });

  const frameSamples = Math.round((sampleRate * frameMs) / 1000);
  const frames: Int16Array[] = [];
  for (let offset = 0; offset < total; offset += frameSamples) {
    const frame = new Int16Array(frameSamples);
    frame.set(pcm.subarray(offset, Math.min(offset + frameSamples, total)));
    frames.push(frame);
  }
  return frames;
}
