/**
 * sipp's message log (`-trace_msg -message_file <file>`) read back as SIP messages. Pure.
 */

/** A SIP request or response as sipp's message log recorded it. */
export interface SipMessage {
  /** Whether sipp sent or received it. */
  direction: "sent" | "received";
  /** Its first line, e.g. `INVITE sip:+15550100200@127.0.0.1:5060 SIP/2.0` or `SIP/2.0 403 Forbidden`. */
  firstLine: string;
  /** The whole message. */
  text: string;
}

// sipp's message log puts two lines before each message: a dashed line with a timestamp, then
// "UDP message received [512] bytes :" or "UDP message sent (416 bytes):".
const messageHeader = /^-{10,}.*\n(?:UDP|TCP) message (sent|received) [^\n]*:\n/m;

/** Every message in a sipp message log, in order. */
export function parseMessageLog(text: string): SipMessage[] {
  const parts = text.split(/^(?=-{10,} )/m);
  return parts.flatMap((part) => {
    const header = messageHeader.exec(part);
    if (!header) return [];
    const body = part.slice(header.index + header[0].length).replace(/^\s+/, "");
    return [{ direction: header[1] as SipMessage["direction"], firstLine: body.split(/\r?\n/)[0], text: body }];
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
