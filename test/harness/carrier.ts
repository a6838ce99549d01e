/**
 * sipp as the carrier on loopback, standing in for Twilio's termination side, for the end-to-end
 * tests and the benchmark: digest auth, then what the callee does is chosen by the dialed number
 * (see the header of `sipp/carrier-uas.xml`).
 */
import { createSocket } from "node:dgram";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseMessageLog, type SipMessage } from "../../scripts/dispatch/sip-message-log";
import { requireBinaries, systemBinaries } from "./binaries";
import { type ManagedProcess, startProcess } from "./managed-process";
import { freePort } from "./ports";
import { waitUntil } from "./wait-until";

/** The sipp scenario the carrier runs. */
export const carrierScenario = join(__dirname, "sipp", "carrier-uas.xml");

/** A number the carrier answers, playing recorded audio, and holds for its hold time (any number the scenario does not single out). */
export const answeringNumber = "+15550100200";

/** A number the carrier lets ring until livekit-sip cancels the call. */
export const neverAnswers = "+15550100408";

/** A number the carrier answers with 486 Busy Here. */
export const busyNumber = "+15550100486";

/** How to start the carrier. */
export interface CarrierOptions {
  /** Directory of sipp's logs: `carrier-messages.log` (every SIP message), `carrier-errors.log` (unexpected ones). */
  logDir: string;
  /** The digest credentials it accepts; any other get a 403. */
  username: string;
  password: string;
  /** How long an answered call is held (sipp -d), except the benchmark's call-setup numbers (2 s). Defaults to 5 s. */
  holdMs?: number;
  /** Calls sipp serves at once (-l). Defaults to sipp's own limit. */
  maxCalls?: number;
  /**
   * A UDP port on 127.0.0.1 the answer's SDP offers instead of sipp's own media port: whatever
   * listens there receives livekit-sip's audio (the benchmark's endpoint, which timestamps it).
   * Defaults to sipp's media port (sipp plays the scenario's recording from it, and ignores what arrives).
   */
  rtpPort?: number;
}

/** sipp playing the carrier on loopback. */
export interface Carrier {
  /** `127.0.0.1:<port>`: the address an outbound trunk points at. */
  address: string;
  /** The process, for logs and stopping. */
  process: ManagedProcess;
  /** Every SIP message sipp sent or received so far, in order. */
  messages(): SipMessage[];
  /** The INVITEs sipp received for `number`, in order. */
  invitesTo(number: string): SipMessage[];
}

/** Whether something already holds the UDP port on 127.0.0.1 (sipp binds it once it has read the scenario). */
function udpPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", () => {
      socket.close();
      resolve(true);
    });
    socket.bind({ port, address: "127.0.0.1", exclusive: true }, () => socket.close(() => resolve(false)));
  });
}

/** Starts sipp as the carrier on free loopback UDP ports; resolves once it listens for SIP. */
export async function startCarrier(options: CarrierOptions): Promise<Carrier> {
  requireBinaries([systemBinaries.sipp]);
  const port = await freePort("udp");
  const mediaPort = await freePort("udp");
  const messageLog = join(options.logDir, "carrier-messages.log");
  // prettier-ignore
  const args = [
    "-sf", carrierScenario,
    "-i", "127.0.0.1", "-p", String(port),
    "-mi", "127.0.0.1", "-mp", String(mediaPort),
    "-key", "rtp_port", String(options.rtpPort ?? mediaPort),
    "-d", String(options.holdMs ?? 5000),
    ...(options.maxCalls === undefined ? [] : ["-l", String(options.maxCalls)]),
    "-key", "auth_user", options.username,
    "-key", "auth_pass", options.password,
    "-nostdin",
    "-trace_msg", "-message_file", messageLog,
    "-trace_err", "-error_file", join(options.logDir, "carrier-errors.log"),
  ];
  const process = startProcess({ name: "carrier-sipp", command: systemBinaries.sipp, args, logDir: options.logDir });
  try {
    await waitUntil("sipp listens for the carrier's SIP traffic", () => udpPortTaken(port), [process]);
  } catch (error) {
    await process.stop();
    throw error;
  }
  const messages = (): SipMessage[] => (existsSync(messageLog) ? parseMessageLog(readFileSync(messageLog, "utf8")) : []);
  return {
    address: `127.0.0.1:${port}`,
    process,
    messages,
    invitesTo: (number) =>
      messages().filter((m) => m.direction === "received" && m.firstLine.startsWith(`INVITE sip:${number}@`)),
  };
}
