import { createSocket, type RemoteInfo } from "node:dgram";
import { randomInt } from "node:crypto";
import { isAudibleMuLaw, muLawTone } from "./g711";
import { parseRtpPacket } from "./rtp-packet";

/** What the caller's media endpoint received from the stack. */
export interface RtpTotals {
  /** PCMU packets received (the agent's side of the call, silence included). */
  packets: number;
  /** Of those, packets holding sound. */
  audiblePackets: number;
  /** When the first packet holding sound arrived, epoch ms; undefined until one did. */
  firstAudibleAtMs?: number;
  /** PCMU packets sent: the caller's own audio. */
  sent: number;
}

/** The caller's media endpoint: a UDP socket offered in the INVITE's SDP. */
export interface RtpCaller {
  /** Address and port the SDP offers. */
  address: string;
  port: number;
  /** Totals so far. */
  totals(): RtpTotals;
  /** Stops sending and closes the socket. */
  stop(): Promise<void>;
}

const PAYLOAD_PCMU = 0;
const PACKET_MS = 20;
const SAMPLES_PER_PACKET = 160;
// The caller's voice: a steady 440 Hz tone, clearly audible.
const TONE_HZ = 440;
const TONE_PEAK = 0.3;

/** The payload of an RTP packet of type PCMU, or undefined for anything else (DTMF events, comfort noise, not RTP). */
export function pcmuPayload(packet: Buffer): Uint8Array | undefined {
  const rtp = parseRtpPacket(packet);
  return rtp?.payloadType === PAYLOAD_PCMU ? rtp.payload : undefined;
}

/**
 * Opens the caller's media endpoint on `address` (a free port). It counts the PCMU packets the
 * stack sends and, from the first one on, sends the caller's audio (a tone, 20 ms packets) back to
 * where they came from: livekit-sip's RTP port, as symmetric RTP does.
 */
export function startRtpCaller(address: string): Promise<RtpCaller> {
  const socket = createSocket("udp4");
  const totals: RtpTotals = { packets: 0, audiblePackets: 0, sent: 0 };
  const ssrc = randomInt(2 ** 31);
  let remote: RemoteInfo | undefined;
  let sequence = randomInt(2 ** 15);
  let timestamp = randomInt(2 ** 31);
  let sample = 0;
  const send = () => {
    if (!remote) return;
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = PAYLOAD_PCMU;
    header.writeUInt16BE(sequence, 2);
    header.writeUInt32BE(timestamp >>> 0, 4);
    header.writeUInt32BE(ssrc, 8);
    socket.send(Buffer.concat([header, muLawTone(TONE_HZ, TONE_PEAK, sample, SAMPLES_PER_PACKET)]), remote.port, remote.address);
    sequence = (sequence + 1) & 0xffff;
    timestamp = (timestamp + SAMPLES_PER_PACKET) % 2 ** 32;
    sample += SAMPLES_PER_PACKET;
    totals.sent++;
  };
  const timer = setInterval(send, PACKET_MS);
  socket.on("message", (packet, from) => {
    const payload = pcmuPayload(packet);
    if (!payload) return;
    remote ??= from;
    totals.packets++;
    if (isAudibleMuLaw(payload)) {
      totals.firstAudibleAtMs ??= performance.timeOrigin + performance.now();
      totals.audiblePackets++;
    }
  });
  return new Promise((resolve, reject) => {
    socket.once("error", (error) => {
      clearInterval(timer);
      reject(new Error(`cannot open the caller's RTP endpoint on ${address}: ${error.message}`));
    });
    socket.bind(0, address, () =>
      resolve({
        address,
        port: socket.address().port,
        totals: () => ({ ...totals }),
        stop: () =>
          new Promise<void>((done) => {
            clearInterval(timer);
            socket.close(() => done());
          }),
      }),
    );
  });
}
