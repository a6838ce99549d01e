/**
 * RTP packets (RFC 3550) read from UDP datagrams: version 2, CSRCs, header extension and padding
 * skipped. Pure.
 */

/** What an RTP packet carries. */
export interface RtpPacket {
  /** Payload type (0: PCMU, 8: PCMA, 101: telephone events…), marker bit cleared. */
  payloadType: number;
  /** The stream's synchronization source. */
  ssrc: number;
  /** The media payload, without header, extension or padding. */
  payload: Uint8Array;
}

/** The RTP packet in `datagram`, or undefined when it is not a well-formed RTP packet. */
export function parseRtpPacket(datagram: Buffer): RtpPacket | undefined {
  if (datagram.length < 12 || datagram[0] >> 6 !== 2) return undefined;
  let offset = 12 + (datagram[0] & 0x0f) * 4;
  if (datagram[0] & 0x10) {
    if (offset + 4 > datagram.length) return undefined;
    offset += 4 + datagram.readUInt16BE(offset + 2) * 4;
  }
  const padding = datagram[0] & 0x20 ? datagram[datagram.length - 1] : 0;
  if (offset > datagram.length - padding) return undefined;
  return {
    payloadType: datagram[1] & 0x7f,
    ssrc: datagram.readUInt32BE(8),
    payload: datagram.subarray(offset, datagram.length - padding),
  };
}
