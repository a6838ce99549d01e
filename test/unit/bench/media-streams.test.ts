import { MediaStreams, isAudiblePacket } from "../../../bench/media-streams";
import type { RtpPacket } from "../../../scripts/dispatch/rtp-packet";

const SILENT_PCMA = new Uint8Array(160).fill(0xd5);
const LOUD_PCMA = new Uint8Array(160).fill(0xaa);
const pcma = (ssrc: number, payload: Uint8Array): RtpPacket => ({ payloadType: 8, ssrc, payload });

describe("isAudiblePacket", () => {
  it("hears G.711 of either law and never a DTMF event", () => {
    expect(isAudiblePacket(pcma(1, LOUD_PCMA))).toBe(true);
    expect(isAudiblePacket(pcma(1, SILENT_PCMA))).toBe(false);
    expect(isAudiblePacket({ payloadType: 0, ssrc: 1, payload: new Uint8Array([0xff, 0x80]) })).toBe(true);
    expect(isAudiblePacket({ payloadType: 101, ssrc: 1, payload: LOUD_PCMA })).toBe(false);
  });
});

describe("MediaStreams", () => {
  it("gives the first audible packet of the call that began on a port at or after its answer", () => {
    const streams = new MediaStreams();
    // An earlier call on port 20000, then the call answered at 1000: silence first, then sound.
    streams.record(20000, pcma(7, LOUD_PCMA), 500);
    streams.record(20000, pcma(9, SILENT_PCMA), 1010);
    streams.record(20002, pcma(9, LOUD_PCMA), 1020);
    streams.record(20000, pcma(9, SILENT_PCMA), 1030);
    streams.record(20000, pcma(9, LOUD_PCMA), 1250);
    streams.record(20000, pcma(9, LOUD_PCMA), 1270);
    expect(streams.firstAudibleSince(20000, 1000)).toBe(1250);
    expect(streams.firstAudibleSince(20000, 0)).toBe(500);
  });

  it("has nothing while the call's stream is silent or has not begun", () => {
    const streams = new MediaStreams();
    streams.record(20000, pcma(9, SILENT_PCMA), 1010);
    expect(streams.firstAudibleSince(20000, 1000)).toBeUndefined();
    expect(streams.firstAudibleSince(20000, 2000)).toBeUndefined();
    expect(streams.firstAudibleSince(20004, 0)).toBeUndefined();
  });
});
