import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  GREETING_GAP_MS,
  GREETING_NOTES_HZ,
  GREETING_NOTE_MS,
  GREETING_PEAK,
  greetingToneFrames,
} from "../../src/greeting-tone.ts";

function concat(frames: Int16Array[]): Int16Array {
  const all = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let offset = 0;
  for (const frame of frames) {
    all.set(frame, offset);
    offset += frame.length;
  }
  return all;
}

// Estimates a tone's pitch from its zero crossings (two per period).
function pitchOf(samples: Int16Array, sampleRate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings++;
  }
  return (crossings / 2) * (sampleRate / samples.length);
}

describe("greetingToneFrames", () => {
  it("cuts 48 kHz audio into equal 20 ms frames covering three notes and their gaps", () => {
    const frames = greetingToneFrames();
    assert.ok(frames.every((f) => f.length === 960));
    const expectedMs = GREETING_NOTES_HZ.length * GREETING_NOTE_MS + (GREETING_NOTES_HZ.length - 1) * GREETING_GAP_MS;
    assert.equal(frames.length, Math.ceil(expectedMs / 20));
  });

  it("honours another sample rate and frame length", () => {
    const frames = greetingToneFrames({ sampleRate: 16000, frameMs: 10 });
    assert.ok(frames.every((f) => f.length === 160));
  });

  it("is audible but never clips, and starts and ends silent (no clicks)", () => {
    const all = concat(greetingToneFrames());
    const peak = all.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    assert.ok(peak > 0.9 * GREETING_PEAK * 32767 && peak <= Math.ceil(GREETING_PEAK * 32767), `peak ${peak}`);
    assert.ok(Math.abs(all[0]!) <= 1 && Math.abs(all[all.length - 1]!) <= 1);
  });

  it("plays the documented notes in order", () => {
    const sampleRate = 48000;
    const all = concat(greetingToneFrames({ sampleRate }));
    const note = (sampleRate * GREETING_NOTE_MS) / 1000;
    const gap = (sampleRate * GREETING_GAP_MS) / 1000;
    GREETING_NOTES_HZ.forEach((hz, i) => {
      const start = i * (note + gap);
      const pitch = pitchOf(all.subarray(start, start + note), sampleRate);
      assert.ok(Math.abs(pitch - hz) / hz < 0.03, `note ${i}: ${pitch} Hz, expected ${hz} Hz`);
    });
  });

  it("is deterministic", () => {
    assert.deepEqual(concat(greetingToneFrames()), concat(greetingToneFrames()));
  });
});
