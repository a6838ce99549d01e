import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RtpCaller, type RtpTotals, startRtpCaller } from "./rtp-caller";
import { heardRinging, inviteFinalResponse, parseMessageLog, type SipMessage, type SipStatus } from "./sip-message-log";

/** The sipp scenario of a carrier sending a call in (see its header). */
export const callerScenario = join(__dirname, "sipp", "carrier-uac.xml");

/** A call sent into the stack with sipp. */
export interface SipCall {
  /** Resolves once sipp has exited: the call is over, refused or given up. */
  ended: Promise<SipCallReport>;
  /** Stops sipp (if still running) and the RTP endpoint; idempotent. */
  stop(): Promise<void>;
}

/** What the caller saw of the call. */
export interface SipCallReport {
  /** The INVITE's final response, or undefined when none came (the stack dropped the call). */
  finalResponse?: SipStatus;
  /** Whether the stack sent 180 Ringing first. */
  ringing: boolean;
  /** The caller's RTP: what it received (the agent) and sent. */
  audio: RtpTotals;
  /** sipp's exit status (0: the scenario ran to its end). */
  sippExit: number | null;
  /** Every SIP message sipp sent and received. */
  messages: SipMessage[];
}

/** How to send the call. */
export interface SipCallOptions {
  /** livekit-sip's SIP address, `host:port`. */
  address: string;
  /** Local IPv4 address to send from (sipp -i) and to offer for RTP. */
  source: string;
  /** The caller's number (From). */
  from: string;
  /** The number dialled (request URI and To). */
  to: string;
  /** Seconds to stay on the line once answered. */
  holdSeconds: number;
  /** Seconds to wait for any expected SIP message (the final response included) before giving up. */
  timeoutSeconds: number;
  /** The sipp executable. Defaults to `sipp` on PATH. */
  sipp?: string;
}

/** A free UDP port on `address`. */
function freeUdpPort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, address, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/**
 * Sends one call into the stack as a carrier would: sipp runs {@link callerScenario} from
 * `source` to `address` while the caller's RTP endpoint sends a tone and counts what it hears.
 */
export async function startSipCall(options: SipCallOptions): Promise<SipCall> {
  const rtp: RtpCaller = await startRtpCaller(options.source);
  const dir = mkdtempSync(join(tmpdir(), "inbound-call-"));
  const messageFile = join(dir, "messages.log");
  try {
    const port = await freeUdpPort(options.source);
    const child = spawn(
      options.sipp ?? "sipp",
      [
        options.address,
        "-sf", callerScenario,
        "-m", "1",
        "-s", options.to,
        "-i", options.source,
        "-p", String(port),
        "-key", "caller", options.from,
        "-key", "rtp_ip", options.source,
        "-key", "rtp_port", String(rtp.port),
        // The scenario's one <pause/>: how long the caller stays on once answered.
        "-d", String(options.holdSeconds * 1000),
        "-recv_timeout", String(options.timeoutSeconds * 1000),
        "-nostdin",
        "-trace_msg", "-message_file", messageFile,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let stopped = false;
    const ended = new Promise<SipCallReport>((resolve, reject) => {
      child.once("error", (error: NodeJS.ErrnoException) =>
        reject(new Error(error.code === "ENOENT" ? "sipp is not installed or not on PATH (Debian: apt-get install sip-tester)" : error.message)),
      );
      child.once("exit", (code) => {
        const messages = existsSync(messageFile) ? parseMessageLog(readFileSync(messageFile, "utf8")) : [];
        if (messages.length === 0 && code !== 0 && !stopped) {
          reject(new Error(`sipp sent nothing and exited with status ${code}: ${stderr.trim().split("\n").slice(-5).join("\n")}`));
          return;
        }
        resolve({ finalResponse: inviteFinalResponse(messages), ringing: heardRinging(messages), audio: rtp.totals(), sippExit: code, messages });
      });
    });
    const stop = async () => {
      if (!stopped && child.exitCode === null && child.signalCode === null) {
        stopped = true;
        child.kill("SIGTERM");
        await ended.catch(() => undefined);
      }
      await rtp.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    };
    return { ended, stop };
  } catch (error) {
    await rtp.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
