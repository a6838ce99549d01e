import { parseRtpPacket } from "../../../../scripts/dispatch/rtp-packet";

/** An RTP header: version 2, the given first byte's flags and CSRC count, payload type, SSRC 0x01020304. */
function header(first: number, payloadType: number): Buffer {
  const bytes = Buffer.alloc(12);
  bytes[0] = first;
  bytes[1] = payloadType;
  bytes.writeUInt32BE(0x01020304, 8);
  return bytes;
}

describe("parseRtpPacket", () => {
  it("reads the payload type (marker cleared), SSRC and payload", () => {
    const packet = parseRtpPacket(Buffer.concat([header(0x80, 0x80 | 8), Buffer.from([1, 2, 3])]));
    expect(packet).toEqual({ payloadType: 8, ssrc: 0x01020304, payload: Buffer.from([1, 2, 3]) });
  });

  it("skips CSRCs, a header extension and padding", () => {
    const csrc = Buffer.alloc(4);
    const extension = Buffer.from([0xbe, 0xde, 0x00, 0x01, 9, 9, 9, 9]);
    const padded = Buffer.concat([header(0x80 | 0x20 | 0x10 | 1, 0), csrc, extension, Buffer.from([5, 6, 0, 2])]);
    expect(parseRtpPacket(padded)?.payload).toEqual(Buffer.from([5, 6]));
  });

  it("refuses what is not RTP version 2 or is cut short", () => {
    expect(parseRtpPacket(Buffer.from([0x80, 0]))).toBeUndefined();
    expect(parseRtpPacket(Buffer.concat([header(0x40, 0), Buffer.from([1])]))).toBeUndefined();
    expect(parseRtpPacket(header(0x80 | 0x10, 0))).toBeUndefined();
  });
});
