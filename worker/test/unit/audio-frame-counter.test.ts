import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AUDIBLE_PEAK, AudioFrameCounter, isAudible } from "../../src/audio-frame-counter.ts";

describe("audio frame counting", () => {
  it("calls silence and low noise inaudible, anything louder audible", () => {
    assert.equal(isAudible(new Int16Array(160)), false);
    assert.equal(isAudible(Int16Array.from({ length: 160 }, (_, i) => (i % 2 ? AUDIBLE_PEAK : -AUDIBLE_PEAK))), false);
    assert.equal(isAudible(Int16Array.of(0, 0, AUDIBLE_PEAK + 1)), true);
    assert.equal(isAudible(Int16Array.of(-(AUDIBLE_PEAK + 1), 0)), true);
  });

  it("counts frames, audible frames and seconds received", () => {
    const counter = new AudioFrameCounter();
    assert.deepEqual(counter.totals(), { frames: 0, audibleFrames: 0, seconds: 0 });
    const silent = new Int16Array(480);
    const loud = Int16Array.from({ length: 480 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    for (let i = 0; i < 50; i++) counter.record(i % 5 === 0 ? loud : silent, 48000, 480);
    assert.deepEqual(counter.totals(), { frames: 50, audibleFrames: 10, seconds: 0.5 });
  });
});
