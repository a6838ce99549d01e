/**
 * What the carrier's media endpoint heard, stream by stream: when each RTP stream (a sender's
 * port and SSRC: livekit-sip opens a new one per call) sent its first packet and its first
 * audible one. Pure.
 */
import { isAudibleALaw, isAudibleMuLaw } from "../scripts/dispatch/g711";
import type { RtpPacket } from "../scripts/dispatch/rtp-packet";

/** One RTP stream the carrier received. */
export interface MediaStream {
  /** The sender's UDP port (livekit-sip's RTP port of the call, as its SDP offered it). */
  port: number;
  ssrc: number;
  /** When its first packet arrived, epoch ms. */
  firstPacketAtMs: number;
  /** When its first audible G.711 packet arrived, epoch ms; undefined while it only sent silence. */
  firstAudibleAtMs?: number;
}

const PAYLOAD_PCMU = 0;
const PAYLOAD_PCMA = 8;

/** Whether a packet carries sound: G.711 (either law) beyond the audible peak; anything else (DTMF, comfort noise) never does. */
export function isAudiblePacket(packet: RtpPacket): boolean {
  if (packet.payloadType === PAYLOAD_PCMU) return isAudibleMuLaw(packet.payload);
  if (packet.payloadType === PAYLOAD_PCMA) return isAudibleALaw(packet.payload);
  return false;
}

/** The streams received so far, keyed by sender port and SSRC. */
export class MediaStreams {
  private readonly streams = new Map<string, MediaStream>();

  /** Records one packet from `port` that arrived at `atMs`. */
  record(port: number, packet: RtpPacket, atMs: number): void {
    const key = `${port}/${packet.ssrc}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { port, ssrc: packet.ssrc, firstPacketAtMs: atMs };
      this.streams.set(key, stream);
    }
    if (stream.firstAudibleAtMs === undefined && isAudiblePacket(packet)) stream.firstAudibleAtMs = atMs;
  }

  /**
   * When the first audible packet of the call whose media came from `port` and began at or after
   * `sinceMs` (its answer) arrived: the earliest such stream's, or undefined while none has sound.
   * A port serves one call at a time; an earlier call on the same port began before `sinceMs`.
   */
  firstAudibleSince(port: number, sinceMs: number): number | undefined {
    const candidates = [...this.streams.values()]
      .filter((s) => s.port === port && s.firstPacketAtMs >= sinceMs)
      .sort((a, b) => a.firstPacketAtMs - b.firstPacketAtMs);
    return candidates[0]?.firstAudibleAtMs;
  }
}
