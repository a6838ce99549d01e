import { createSocket } from "node:dgram";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseMessageLog, type SipMessage } from "../../scripts/dispatch/sip-message-log";
import { requireBinaries, systemBinaries } from "../harness/binaries";
import { type ManagedProcess, startProcess } from "../harness/managed-process";
import { freePort } from "../harness/ports";
import { waitUntil } from "../harness/wait-until";

/** The sipp scenario the carrier runs (see its header for what each dialed number does). */
export const carrierScenario = join(__dirname, "sipp", "carrier-uas.xml");

/** A number the carrier lets ring until livekit-sip cancels the call. */
export const neverAnswers = "+15550100408";

/** A number the carrier answers with 486 Busy Here. */
export const busyNumber = "+15550100486";

export type { SipMessage } from "../../scripts/dispatch/sip-message-log";

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

/** Whether something already holds the UDP port on 127.0.0.1 (sipp binds it once it is ready). */
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

/**
 * Starts sipp as the carrier on a free loopback UDP port: every call is challenged with digest
 * auth and only `username`/`password` get through. Its SIP messages are logged to
 * `<logDir>/carrier-messages.log`, unexpected ones to `<logDir>/carrier-errors.log`.
 */
export async function startCarrier(options: {
  logDir: string;
  username: string;
  password: string;
  /** How long the callee stays on the line after answering. Defaults to 5 s. */
  holdMs?: number;
}): Promise<Carrier> {
  requireBinaries([systemBinaries.sipp]);
  const port = await freePort("udp");
  const mediaPort = await freePort("udp");
  const messageLog = join(options.logDir, "carrier-messages.log");
  const process = startProcess({
    name: "carrier-sipp",
    command: systemBinaries.sipp,
    args: [
      "-sf",
      carrierScenario,
      "-i",
      "127.0.0.1",
      "-p",
      String(port),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(mediaPort),
      "-d",
      String(options.holdMs ?? 5000),
      "-key",
      "auth_user",
      options.username,
      "-key",
      "auth_pass",
      options.password,
      "-nostdin",
      "-trace_msg",
      "-message_file",
      messageLog,
      "-trace_err",
      "-error_file",
      join(options.logDir, "carrier-errors.log"),
    ],
    logDir: options.logDir,
  });
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
