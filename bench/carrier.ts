/**
 * sipp as the benchmark's carrier on loopback: digest auth, answers at once, echoes RTP, holds
 * each call as `sipp/carrier-uas.xml` says and hangs up itself.
 */
import { createSocket } from "node:dgram";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { requireBinaries, systemBinaries } from "../test/harness/binaries";
import { type ManagedProcess, startProcess } from "../test/harness/managed-process";
import { freePort } from "../test/harness/ports";
import { waitUntil } from "../test/harness/wait-until";
import { type LoggedSipMessage, parseCarrierLog } from "./carrier-log";

/** The scenario sipp runs. */
export const carrierScenario = join(__dirname, "sipp", "carrier-uas.xml");

/** The running carrier. */
export interface BenchCarrier {
  /** `127.0.0.1:<port>`: what the outbound trunk points at. */
  address: string;
  /** The sipp process. */
  process: ManagedProcess;
  /** Every SIP message sipp sent or received so far, with its time. */
  messages(): LoggedSipMessage[];
}

// sipp binds its SIP port only once it has read the scenario: a taken port means it is ready.
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
 * Starts sipp on free loopback ports, accepting only `username`/`password`, holding capacity
 * calls (numbers from `benchNumber("capacity", …)`) for `holdMs` and other calls for 1 s. It serves any number of calls at once (`-l` caps them far above the
 * benchmark's levels) until stopped.
 */
export async function startBenchCarrier(options: {
  logDir: string;
  username: string;
  password: string;
  holdMs: number;
}): Promise<BenchCarrier> {
  requireBinaries([systemBinaries.sipp]);
  const port = await freePort("udp");
  const mediaPort = await freePort("udp");
  const messageLog = join(options.logDir, "carrier-messages.log");
  // prettier-ignore
  const args = [
    "-sf", carrierScenario,
    "-i", "127.0.0.1", "-p", String(port),
    "-mi", "127.0.0.1", "-mp", String(mediaPort), "-rtp_echo",
    "-d", String(options.holdMs),
    "-l", "1000",
    "-key", "auth_user", options.username,
    "-key", "auth_pass", options.password,
    "-nostdin",
    "-trace_msg", "-message_file", messageLog,
    "-trace_err", "-error_file", join(options.logDir, "carrier-errors.log"),
  ];
  const process = startProcess({ name: "carrier-sipp", command: systemBinaries.sipp, args, logDir: options.logDir });
  try {
    await waitUntil("sipp listens for SIP", () => udpPortTaken(port), [process]);
  } catch (error) {
    await process.stop();
    throw error;
  }
  return {
    address: `127.0.0.1:${port}`,
    process,
    messages: () => (existsSync(messageLog) ? parseCarrierLog(readFileSync(messageLog, "utf8")) : []),
  };
}
