import { answeredAt, callIdsByNumber, dialedNumber, dialersByNumber, firstInviteAt, firstInviteSentAt, hangups, offeredRtpPort } from "../../../bench/carrier-log";
import { parseMessageLog } from "../../../scripts/dispatch/sip-message-log";

/** The line sipp -trace_msg writes before each message, with its local time: `at` is the seconds of 2026-11-24 11:41. */
const separator = (at: string) => `----------------------------------------------- 2026-11-24 11:41:${at}`;

/**
 * One message as sipp -trace_msg writes it: the separator, the direction (worded differently for
 * received and sent messages, with the size), then the SIP lines, each ending in CRLF.
 */
function traced(at: string, direction: "received" | "sent", ...sipLines: string[]): string[] {
  const bytes = sipLines.reduce((total, line) => total + Buffer.byteLength(line) + 2, 0);
  return [
    separator(at),
    direction === "received" ? `UDP message received [${bytes}] bytes :` : `UDP message sent (${bytes} bytes):`,
    "",
    ...sipLines.map((line) => `${line}\r`),
    "",
  ];
}

const log = [
  ...traced("06.541914", "received", "INVITE sip:+15550130007@127.0.0.1:5080 SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1", "Call-ID: call-a@livekit", "CSeq: 1 INVITE", ""),
  ...traced("06.542142", "sent", "SIP/2.0 401 Unauthorized", "Call-ID: call-a@livekit", ""),
  ...traced("06.600000", "received", "INVITE sip:+15550130007@127.0.0.1:5080 SIP/2.0", "i: call-a@livekit", ""),
  ...traced("07.700001", "sent", "BYE sip:lk@127.0.0.1:5060 SIP/2.0", "Call-ID: call-a@livekit", ""),
  ...traced("08.000000", "received", "INVITE sip:+15550120001@127.0.0.1:5080 SIP/2.0", "Call-ID: call-b@livekit", ""),
  ...traced("09.250000", "received", "BYE sip:callee@127.0.0.1:5080 SIP/2.0", "Call-ID: call-b@livekit", ""),
  // A message sipp has not finished writing.
  separator("09.3"),
].join("\n");

const localMs = (text: string) => new Date(text).getTime();

describe("parseMessageLog", () => {
  const messages = parseMessageLog(log);

  it("reads every complete message, sent and received, with its first line and Call-ID (long or compact header)", () => {
    expect(messages.map((m) => [m.direction, m.firstLine, m.callId])).toEqual([
      ["received", "INVITE sip:+15550130007@127.0.0.1:5080 SIP/2.0", "call-a@livekit"],
      ["sent", "SIP/2.0 401 Unauthorized", "call-a@livekit"],
      ["received", "INVITE sip:+15550130007@127.0.0.1:5080 SIP/2.0", "call-a@livekit"],
      ["sent", "BYE sip:lk@127.0.0.1:5060 SIP/2.0", "call-a@livekit"],
      ["received", "INVITE sip:+15550120001@127.0.0.1:5080 SIP/2.0", "call-b@livekit"],
      ["received", "BYE sip:callee@127.0.0.1:5080 SIP/2.0", "call-b@livekit"],
    ]);
    expect(messages[1].text).toMatch(/^SIP\/2\.0 401 Unauthorized\r\nCall-ID: call-a@livekit\r\n/);
  });

  it("reads sipp's local time to the microsecond", () => {
    expect(messages[0].atMs).toBeCloseTo(localMs("2026-11-24T11:41:06") + 541.914, 3);
    expect(messages[3].atMs).toBeCloseTo(localMs("2026-11-24T11:41:07") + 700.001, 3);
  });

  it("finds the first INVITE of a number: the moment the call reached the carrier", () => {
    expect(firstInviteAt(messages, "+15550130007")).toBe(messages[0].atMs);
    expect(firstInviteAt(messages, "+15550139999")).toBeUndefined();
    expect(dialedNumber(messages[1])).toBeUndefined();
  });

  it("tells who hung up each call and which call each number was", () => {
    expect(hangups(messages)).toEqual(
      new Map([
        ["call-a@livekit", "carrier"],
        ["call-b@livekit", "livekit-sip"],
      ]),
    );
    expect(callIdsByNumber(messages)).toEqual(
      new Map([
        ["+15550130007", "call-a@livekit"],
        ["+15550120001", "call-b@livekit"],
      ]),
    );
  });

  it("is empty for an empty or unrelated log", () => {
    expect(parseMessageLog("")).toEqual([]);
    expect(parseMessageLog("sipp starting\n")).toEqual([]);
  });
});

describe("a call's answer and media in the carrier's log", () => {
  // The carrier's view of one answered call: challenge, authenticated INVITE with livekit-sip's SDP, ringing, 200 OK twice (a retransmission).
  const answered = [
    ...traced("06.500000", "received", "INVITE sip:+15550140003@127.0.0.1:5080 SIP/2.0", "Call-ID: call-c@livekit", "CSeq: 1 INVITE", "", "v=0", "c=IN IP4 127.0.0.1", "m=audio 20014 RTP/AVP 0 8 101"),
    ...traced("06.510000", "sent", "SIP/2.0 180 Ringing", "Call-ID: call-c@livekit", "CSeq: 2 INVITE"),
    ...traced("06.520000", "sent", "SIP/2.0 200 OK", "Call-ID: call-c@livekit", "CSeq: 2 INVITE"),
    ...traced("07.020000", "sent", "SIP/2.0 200 OK", "Call-ID: call-c@livekit", "CSeq: 2 INVITE"),
    ...traced("08.600000", "received", "BYE sip:callee@127.0.0.1:5080 SIP/2.0", "Call-ID: call-c@livekit", "CSeq: 3 BYE"),
    ...traced("08.610000", "sent", "SIP/2.0 200 OK", "Call-ID: call-c@livekit", "CSeq: 3 BYE"),
  ].join("\n");
  const messages = parseMessageLog(answered);

  it("finds the carrier's first 200 OK to the INVITE, not its retransmission nor the BYE's", () => {
    expect(answeredAt(messages, "+15550140003")).toBeCloseTo(localMs("2026-11-24T11:41:06") + 520, 3);
    expect(answeredAt(messages, "+15550149999")).toBeUndefined();
  });

  it("reads the RTP port livekit-sip's SDP offered", () => {
    expect(offeredRtpPort(messages, "+15550140003")).toBe(20014);
    expect(offeredRtpPort(messages, "+15550149999")).toBeUndefined();
  });

  it("finds when a calling carrier sent its INVITE", () => {
    const caller = parseMessageLog(
      [
        ...traced("06.100000", "sent", "INVITE sip:+15550100001@127.0.0.1:5060 SIP/2.0", "Call-ID: 1-2@127.0.0.2"),
        ...traced("06.300000", "received", "SIP/2.0 180 Ringing", "Call-ID: 1-2@127.0.0.2"),
      ].join("\n"),
    );
    expect(firstInviteSentAt(caller)).toBeCloseTo(localMs("2026-11-24T11:41:06") + 100, 3);
    expect(firstInviteSentAt(messages)).toBeUndefined();
  });
});

describe("dialersByNumber", () => {
  const invite = (at: string, number: string, via: string, callId: string) =>
    traced(at, "received", `INVITE sip:${number}@127.0.0.1:5080 SIP/2.0`, via, `Call-ID: ${callId}`, "");
  const twoNodes = parseMessageLog(
    [
      ...invite("06.000000", "+15550130001", "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-1", "c1"),
      ...invite("06.100000", "+15550130001", "Via: SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bK-2", "c1"),
      ...invite("06.200000", "+15550130002", "v: SIP/2.0/UDP 127.0.0.3:5061;rport", "c2"),
      ...invite("06.300000", "+15550130003", "Max-Forwards: 70", "c3"),
      separator("07.0"),
    ].join("\n"),
  );

  it("names the address each number's first INVITE came from (long or compact Via), and leaves out INVITEs without one", () => {
    expect(dialersByNumber(twoNodes)).toEqual(
      new Map([
        ["+15550130001", "127.0.0.2"],
        ["+15550130002", "127.0.0.3"],
      ]),
    );
  });
});
