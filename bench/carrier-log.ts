/**
 * What the benchmark reads from the carrier's SIP messages (`parseMessageLog`): when a call
 * reached the carrier, who hung up, which call each number was. Pure.
 */
import type { SipMessage } from "../scripts/dispatch/sip-message-log";

/** The number an INVITE's request line dials (`INVITE sip:+1555…@host` → `+1555…`), if it is one. */
export function dialedNumber(message: SipMessage): string | undefined {
  return /^INVITE sips?:([^@;>\s]+)@/.exec(message.firstLine)?.[1];
}

/**
 * When the carrier first received an INVITE for `number` (the unauthenticated one, before the
 * digest challenge): the moment a call reached the carrier.
 */
export function firstInviteAt(messages: readonly SipMessage[], number: string): number | undefined {
  return messages.find((m) => m.direction === "received" && dialedNumber(m) === number)?.atMs;
}

/** Who hung up each call (by Call-ID): the carrier (sent BYE) or livekit-sip (received BYE). */
export function hangups(messages: readonly SipMessage[]): Map<string, "carrier" | "livekit-sip"> {
  const byCall = new Map<string, "carrier" | "livekit-sip">();
  for (const m of messages) {
    if (m.firstLine.startsWith("BYE ") && !byCall.has(m.callId)) {
      byCall.set(m.callId, m.direction === "sent" ? "carrier" : "livekit-sip");
    }
  }
  return byCall;
}

/** The Call-ID of each dialed number's call (from its first INVITE). */
export function callIdsByNumber(messages: readonly SipMessage[]): Map<string, string> {
  const byNumber = new Map<string, string>();
  for (const m of messages) {
    const number = m.direction === "received" ? dialedNumber(m) : undefined;
    if (number !== undefined && !byNumber.has(number)) byNumber.set(number, m.callId);
  }
  return byNumber;
}

/** The Call-ID of the call to `number` (its first INVITE's), if the carrier saw one. */
function callIdOf(messages: readonly SipMessage[], number: string): string | undefined {
  return messages.find((m) => m.direction === "received" && dialedNumber(m) === number)?.callId;
}

/**
 * The SIP address each dialed number's INVITE came from (its first INVITE's topmost Via, `Via:` or
 * compact `v:`): which livekit-sip dialed it when several share the carrier.
 */
export function dialersByNumber(messages: readonly SipMessage[]): Map<string, string> {
  const byNumber = new Map<string, string>();
  for (const m of messages) {
    const number = m.direction === "received" ? dialedNumber(m) : undefined;
    const via = /^(?:Via|v):\s*SIP\/2\.0\/[A-Z]+\s+([^:;\s]+)/im.exec(m.text)?.[1];
    if (number !== undefined && via !== undefined && !byNumber.has(number)) byNumber.set(number, via);
  }
  return byNumber;
}

/** When the carrier sent its 200 OK to the INVITE for `number` (the first, before retransmissions): the callee's answer. */
export function answeredAt(messages: readonly SipMessage[], number: string): number | undefined {
  const callId = callIdOf(messages, number);
  if (callId === undefined) return undefined;
  return messages.find(
    (m) => m.direction === "sent" && m.callId === callId && /^SIP\/2\.0 200\b/.test(m.firstLine) && /^CSeq:\s*\d+\s+INVITE\s*$/im.test(m.text),
  )?.atMs;
}

/** The RTP port livekit-sip's SDP offered in the INVITE for `number` (`m=audio <port> …`): where its media for the call comes from. */
export function offeredRtpPort(messages: readonly SipMessage[], number: string): number | undefined {
  const invite = messages.find((m) => m.direction === "received" && dialedNumber(m) === number && /^m=audio /m.test(m.text));
  const port = invite && /^m=audio (\d+) /m.exec(invite.text)?.[1];
  return port ? Number(port) : undefined;
}

/** When a calling carrier (sipp sending a call in) sent its first INVITE: the call's start as the stack sees it. */
export function firstInviteSentAt(messages: readonly SipMessage[]): number | undefined {
  return messages.find((m) => m.direction === "sent" && m.firstLine.startsWith("INVITE "))?.atMs;
}
