/**
 * Reading sipp's message log (`-trace_msg`): when each SIP message was sent or received, for
 * which call and number. Pure.
 */

/** One SIP message as sipp logged it. */
export interface LoggedSipMessage {
  /** When sipp sent or received it, epoch milliseconds (microseconds in the fraction). */
  atMs: number;
  /** Whether sipp (the carrier) sent or received it. */
  direction: "sent" | "received";
  /** First line, e.g. `INVITE sip:+15550100200@127.0.0.1:5060 SIP/2.0` or `SIP/2.0 200 OK`. */
  firstLine: string;
  /** The Call-ID header's value ("" when absent). */
  callId: string;
}

// Each message starts with a separator line holding sipp's local time, then the direction, which
// sipp words differently for received and sent messages:
//   ----------------------------------------------- 2026-11-24 11:41:06.541914
//   UDP message received [514] bytes :
//   UDP message sent (313 bytes):
const HEADER =
  /^-{10,} (\d{4}-\d{2}-\d{2})[ \t](\d{2}:\d{2}:\d{2})(\.\d+)?\r?\n(?:UDP|TCP|TLS) message (sent|received) (?:\[\d+\] bytes :|\(\d+ bytes\):)\r?\n/;

/**
 * Parses a whole sipp message log. sipp writes its time in the machine's local time zone, which
 * is how it is read here (the benchmark runs on the same machine). Partial trailing messages and
 * anything that is not a message header are skipped.
 */
export function parseCarrierLog(text: string): LoggedSipMessage[] {
  return text.split(/^(?=-{10,} \d)/m).flatMap((part) => {
    const header = HEADER.exec(part);
    if (!header) return [];
    const [, date, time, fraction = "", direction] = header;
    const body = part.slice(header[0].length).replace(/^\s+/, "");
    const firstLine = body.split(/\r?\n/)[0];
    if (firstLine === "") return [];
    const callId = /^(?:Call-ID|i):\s*(.*?)\s*$/im.exec(body)?.[1] ?? "";
    const atMs = new Date(`${date}T${time}`).getTime() + Number(`0${fraction}`) * 1000;
    return [{ atMs, direction: direction as LoggedSipMessage["direction"], firstLine, callId }];
  });
}

/** The number an INVITE's request line dials (`INVITE sip:+1555…@host` → `+1555…`), if it is one. */
export function dialedNumber(message: LoggedSipMessage): string | undefined {
  return /^INVITE sips?:([^@;>\s]+)@/.exec(message.firstLine)?.[1];
}

/**
 * When the carrier first received an INVITE for `number` (the unauthenticated one, before the
 * digest challenge): the moment a call reached the carrier.
 */
export function firstInviteAt(messages: readonly LoggedSipMessage[], number: string): number | undefined {
  return messages.find((m) => m.direction === "received" && dialedNumber(m) === number)?.atMs;
}

/** Who hung up each call (by Call-ID): the carrier (sent BYE) or livekit-sip (received BYE). */
export function hangups(messages: readonly LoggedSipMessage[]): Map<string, "carrier" | "livekit-sip"> {
  const byCall = new Map<string, "carrier" | "livekit-sip">();
  for (const m of messages) {
    if (m.firstLine.startsWith("BYE ") && !byCall.has(m.callId)) {
      byCall.set(m.callId, m.direction === "sent" ? "carrier" : "livekit-sip");
    }
  }
  return byCall;
}

/** The Call-ID of each dialed number's call (from its first INVITE). */
export function callIdsByNumber(messages: readonly LoggedSipMessage[]): Map<string, string> {
  const byNumber = new Map<string, string>();
  for (const m of messages) {
    const number = m.direction === "received" ? dialedNumber(m) : undefined;
    if (number !== undefined && !byNumber.has(number)) byNumber.set(number, m.callId);
  }
  return byNumber;
}
