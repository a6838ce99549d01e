/**
 * The carrier's media endpoint in the benchmark: a UDP socket the carrier's SDP answer offers in
 * place of sipp's own. It echoes every packet back to its sender, as sipp's -rtp_echo did (media
 * flows both ways, so livekit-sip's media timeout never fires and the worker hears the call), and
 * timestamps each stream's first audible packet: what the callee hears first. sipp's echo keeps no
 * times, and a packet capture would need tshark and capture rights on loopback; this needs neither.
 */
import { createSocket } from "node:dgram";
import { parseRtpPacket } from "../scripts/dispatch/rtp-packet";
import { MediaStreams } from "./media-streams";
import { nowMs } from "./wait-for";

/** The running endpoint. */
export interface CarrierMedia {
  /** Its port on 127.0.0.1. */
  port: number;
  /** The streams it received. */
  streams: MediaStreams;
  stop(): Promise<void>;
}

/** Opens the endpoint on a free port of 127.0.0.1. */
export function startCarrierMedia(): Promise<CarrierMedia> {
  const socket = createSocket("udp4");
  const streams = new MediaStreams();
  socket.on("message", (datagram, from) => {
    const atMs = nowMs();
    socket.send(datagram, from.port, from.address);
    const packet = parseRtpPacket(datagram);
    if (packet) streams.record(from.port, packet, atMs);
  });
  return new Promise((resolve, reject) => {
    socket.once("error", (error) => reject(new Error(`cannot open the carrier's RTP endpoint on 127.0.0.1: ${error.message}`)));
    socket.bind(0, "127.0.0.1", () =>
      resolve({
        port: socket.address().port,
        streams,
        stop: () => new Promise<void>((done) => socket.close(() => done())),
      }),
    );
  });
}
