import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { isIPv6 } from "node:net";
import { services } from "../../components/runtime-config/compose";
import { type CheckOutcome, type DoctorCheck, fail, pass } from "./check-result";
import { inspectServiceCommand } from "./host-commands";
import { answersRequest, buildOptionsRequest, type OptionsRequestIds, parseSipResponse, type SipResponse } from "./sip-message";

/** How long to wait for a final answer. */
const answerTimeoutMs = 4000;
/** First retransmission interval over UDP (RFC 3261 timer T1); it doubles after each resend. */
const firstResendMs = 500;

function newIds(): OptionsRequestIds {
  const hex = (bytes: number) => randomBytes(bytes).toString("hex");
  return { branch: `z9hG4bK${hex(8)}`, tag: hex(6), callId: `${hex(12)}@agent-studio-doctor` };
}

/** What came back from a SIP OPTIONS probe. */
export type SipProbe =
  | { kind: "answer"; response: SipResponse }
  /** The host said nothing listens on the port (ICMP port unreachable). */
  | { kind: "refused" }
  | { kind: "timeout" };

/**
 * Sends one SIP OPTIONS over UDP to `host:port`, resending on RFC 3261's schedule, and resolves
 * with the first final (non-1xx) response to it, a refusal, or a timeout.
 */
export function probeSipOptions(host: string, port: number, timeoutMs = answerTimeoutMs): Promise<SipProbe> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(host) ? "udp6" : "udp4");
    const ids = newIds();
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const finish = (result: SipProbe | Error) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      socket.close();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    // On a connected UDP socket the kernel reports an ICMP port unreachable as ECONNREFUSED.
    const onError = (error: Error | null) => {
      if (!error) return;
      finish((error as NodeJS.ErrnoException).code === "ECONNREFUSED" ? { kind: "refused" } : error);
    };
    socket.on("error", onError);
    socket.on("message", (data) => {
      const response = parseSipResponse(data.toString("utf8"));
      if (response && response.status >= 200 && answersRequest(response, ids)) finish({ kind: "answer", response });
    });
    socket.connect(port, host, () => {
      const local = socket.address();
      const request = Buffer.from(buildOptionsRequest({ targetHost: host, targetPort: port, localHost: local.address, localPort: local.port }, ids));
      const send = (interval: number) => {
        socket.send(request, onError);
        timers.push(setTimeout(() => send(interval * 2), interval));
      };
      send(firstResendMs);
      timers.push(setTimeout(() => finish({ kind: "timeout" }), timeoutMs));
    });
  });
}

/** livekit-sip answers a SIP OPTIONS request on the SIP port (UDP). */
export function sipOptionsCheck(host: string, port: number, timeoutMs = answerTimeoutMs): DoctorCheck {
  return {
    name: "sip-options",
    async run(): Promise<CheckOutcome> {
      const target = `${host}:${port}/udp`;
      const probe = await probeSipOptions(host, port, timeoutMs);
      const inspect = `On the host (over SSH): ${inspectServiceCommand(services.sip)}.`;
      if (probe.kind === "refused") {
        return fail(
          `nothing listens on ${target}: the host refused the SIP OPTIONS request (ICMP port unreachable)`,
          `livekit-sip is not running. ${inspect}`,
        );
      }
      if (probe.kind === "timeout") {
        return fail(
          `no answer to SIP OPTIONS from ${target} within ${timeoutMs / 1000} s`,
          `livekit-sip is not running, or this machine is outside carrierSignalingCidrs (the only sources the firewall lets ` +
            `reach ${port}; from elsewhere this line cannot pass: run the doctor from inside those ranges, or add ` +
            `--skip sip-options). ${inspect}`,
        );
      }
      const { response } = probe;
      const server = response.server ? ` (${response.server})` : "";
      if (response.status >= 300) {
        return fail(
          `${target} answered SIP OPTIONS with ${response.status} ${response.reason}${server}`,
          `Something other than livekit-sip (which answers 200) holds port ${port}: check what listens there on the host.`,
        );
      }
      return pass(`${target} answered SIP OPTIONS with ${response.status} ${response.reason}${server}`);
    },
  };
}
