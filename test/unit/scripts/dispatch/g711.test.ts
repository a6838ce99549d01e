import { aLawDecode, isAudibleALaw, isAudibleMuLaw, muLawDecode, muLawEncode } from "../../../../scripts/dispatch/g711";

describe("G.711", () => {
  it("decodes A-law by the standard's table: silence near zero, the extremes at ±32256", () => {
    expect(aLawDecode(0xd5)).toBe(8);
    expect(aLawDecode(0x55)).toBe(-8);
    expect(aLawDecode(0xaa)).toBe(32256);
    expect(aLawDecode(0x2a)).toBe(-32256);
  });

  it("round-trips u-law within its quantization", () => {
    for (const sample of [0, 100, -1000, 12345, -32000]) {
      expect(Math.abs(muLawDecode(muLawEncode(sample)) - sample)).toBeLessThanOrEqual(Math.max(8, Math.abs(sample) / 16));
    }
  });

  it("tells an audible payload from silence in either law", () => {
    expect(isAudibleALaw(new Uint8Array(160).fill(0xd5))).toBe(false);
    expect(isAudibleALaw(new Uint8Array([0xd5, 0xaa]))).toBe(true);
    expect(isAudibleMuLaw(new Uint8Array(160).fill(0xff))).toBe(false);
    expect(isAudibleMuLaw(new Uint8Array([0xff, muLawEncode(5000)]))).toBe(true);
  });
});
