/**
 * Peak (absolute 16-bit sample) above which a frame counts as audible: about -50 dBFS, above the
 * comfort noise and dither a SIP leg carries in silence, below any speech or tone.
 */
export const AUDIBLE_PEAK = 100;

/** Totals of the audio received from one participant. */
export interface AudioReceived {
  /** Frames received. */
  frames: number;
  /** Frames whose peak exceeds {@link AUDIBLE_PEAK}. */
  audibleFrames: number;
  /** Seconds of audio received. */
  seconds: number;
}

/** True when any sample of the frame exceeds {@link AUDIBLE_PEAK} in magnitude. */
export function isAudible(samples: Int16Array): boolean {
  for (const sample of samples) {
    if (sample > AUDIBLE_PEAK || sample < -AUDIBLE_PEAK) return true;
  }
  return false;
}

/** Counts frames as they arrive; `totals()` is what the call's log lines report. */
export class AudioFrameCounter {
  #frames = 0;
  #audibleFrames = 0;
  #seconds = 0;

  /** Records one frame of `samplesPerChannel` samples per channel at `sampleRate`. */
  record(samples: Int16Array, sampleRate: number, samplesPerChannel: number): void {
    this.#frames++;
    if (isAudible(samples)) this.#audibleFrames++;
    this.#seconds += samplesPerChannel / sampleRate;
  }

  /** The totals so far. */
  totals(): AudioReceived {
    return {
      frames: this.#frames,
      audibleFrames: this.#audibleFrames,
      seconds: Math.round(this.#seconds * 1000) / 1000,
    };
  }
}
