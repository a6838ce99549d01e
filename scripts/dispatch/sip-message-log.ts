/**
 * sipp's message log (`-trace_msg -message_file <file>`) read back as SIP messages: when each was
 * sent or received, for which call. Pure.
 */

/** A SIP request or response as sipp's message log recorded it. */
export interface SipMessage {
  /** When sipp sent or received it, epoch milliseconds (microseconds in the fraction). */
  atMs: number;
  /** Whether sipp sent or received it. */
  direction: "sent" | "received";
  /** Its first line, e.g. `INVITE sip:+15550100200@127.0.0.1:5060 SIP/2.0` or `SIP/2.0 403 Forbidden`. */
  firstLine: string;
  /** The Call-ID header's value ("" when absent). */
  callId: string;
  /** The whole message. */
  text: string;
}

// Each message starts with a separator line holding sipp's local time, then the direction, which
// sipp words differently for received and sent messages:
//   ----------------------------------------------- 2026-11-24 11:41:06.541914
//   UDP message received [514] bytes :
//   UDP message sent (313 bytes):
const messageHeader =
  /^-{10,} (\d{4}-\d{2}-\d{2})[ \t](\d{2}:\d{2}:\d{2})(\.\d+)?\r?\n(?:UDP|TCP|TLS) message (sent|received) (?:\[\d+\] bytes :|\(\d+ bytes\):)\r?\n/;

/**
 * Every message in a sipp message log, in order. sipp writes its time in the machine's local time
 * zone, which is how it is read here (sipp runs on the same machine). Partial trailing messages and
 * anything that is not a message header are skipped.
 */
export function parseMessageLog(text: string): SipMessage[] {
  return text.split(/^(?=-{10,} \d)/m).flatMap((part) => {
    const header = messageHeader.exec(part);
    if (!header) return [];
    const [, date, time, fraction = "", direction] = header;
    const body = part.slice(header[0].length).replace(/^\s+/, "");
    const firstLine = body.split(/\r?\n/)[0];
    if (firstLine === "") return [];
    const callId = /^(?:Call-ID|i):\s*(.*?)\s*$/im.exec(body)?.[1] ?? "";
    const atMs = new Date(`${date}T${time}`).getTime() + Number(`0${fraction}`) * 1000;
    return [{ atMs, direction: direction as SipMessage["direction"], firstLine, callId, text: body }];
  });
}

/** A SIP final response: its code and reason phrase. */
export interface SipStatus {
  code: number;
  reason: string;
}

/** The final response (200-699) the INVITE got, from the messages a caller's sipp received; undefined if none came. */
export function inviteFinalResponse(messages: readonly SipMessage[]): SipStatus | undefined {
  for (const message of messages) {
    if (message.direction !== "received") continue;
    const status = /^SIP\/2\.0 ([2-6]\d\d) ?(.*)$/.exec(message.firstLine.trim());
    if (status && /^CSeq:\s*\d+\s+INVITE\s*$/im.test(message.text)) return { code: Number(status[1]), reason: status[2] };
  }
  return undefined;
}

/** Whether the caller received a provisional 180 Ringing for its INVITE. */
export function heardRinging(messages: readonly SipMessage[]): boolean {
  return messages.some((m) => m.direction === "received" && /^SIP\/2\.0 180\b/.test(m.firstLine));
}
