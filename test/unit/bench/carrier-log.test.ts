import { answeredAt, callIdsByNumber, dialedNumber, dialersByNumber, firstInviteAt, firstInviteSentAt, hangups, offeredRtpPort } from "../../../bench/carrier-log";
import { parseMessageLog } from "../../../scripts/dispatch/sip-message-log";

// As sipp -trace_msg writes it: received and sent messages are introduced differently.
const log = [
  "----------------------------------------------- 2026-11-24 11:41:06.541914",
  "UDP message received [514] bytes :",
  "",
  "INVITE sip:+15550130007@127.0.0.1:5080 SIP/2.0\r",
  "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1\r",
  "Call-ID: call-a@livekit\r",
  "CSeq: 1 INVITE\r",
  "\r",
  "",
  "----------------------------------------------- 2026-11-24 11:41:06.542142",
  "UDP message sent (313 bytes):",
  "",
  "SIP/2.0 401 Unauthorized\r",
  "Call-ID: call-a@livekit\r",
  "\r",
  "",
  "----------------------------------------------- 2026-11-24 11:41:06.600000",
  "UDP message received [600] bytes :",
  "",
  "INVITE sip:+15550130007@127.0.0.1:5080 SIP/2.0\r",
  "i: call-a@livekit\r",
  "\r",
  "",
  "----------------------------------------------- 2026-11-24 11:41:07.700001",
  "UDP message sent (305 bytes):",
  "",
  "BYE sip:lk@127.0.0.1:5060 SIP/2.0\r",
  "Call-ID: call-a@livekit\r",
  "\r",
  "",
  "----------------------------------------------- 2026-11-24 11:41:08.000000",
  "UDP message received [500] bytes :",
  "",
  "INVITE sip:+15550120001@127.0.0.1:5080 SIP/2.0\r",
  "Call-ID: call-b@livekit\r",
  "\r",
  "",
  "----------------------------------------------- 2026-11-24 11:41:09.250000",
  "UDP message received [300] bytes :",
  "",
  "BYE sip:callee@127.0.0.1:5080 SIP/2.0\r",
  "Call-ID: call-b@livekit\r",
  "\r",
  "",
  "----------------------------------------------- 2026-11-24 11:41:09.3",
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
    "----------------------------------------------- 2026-11-24 11:41:06.500000",
    "UDP message received [700] bytes :",
    "",
    "INVITE sip:+15550140003@127.0.0.1:5080 SIP/2.0\r",
    "Call-ID: call-c@livekit\r",
    "CSeq: 1 INVITE\r",
    "\r",
    "v=0\r",
    "c=IN IP4 127.0.0.1\r",
    "m=audio 20014 RTP/AVP 0 8 101\r",
    "",
    "----------------------------------------------- 2026-11-24 11:41:06.510000",
    "UDP message sent (200 bytes):",
    "",
    "SIP/2.0 180 Ringing\r",
    "Call-ID: call-c@livekit\r",
    "CSeq: 2 INVITE\r",
    "",
    "----------------------------------------------- 2026-11-24 11:41:06.520000",
    "UDP message sent (400 bytes):",
    "",
    "SIP/2.0 200 OK\r",
    "Call-ID: call-c@livekit\r",
    "CSeq: 2 INVITE\r",
    "",
    "----------------------------------------------- 2026-11-24 11:41:07.020000",
    "UDP message sent (400 bytes):",
    "",
    "SIP/2.0 200 OK\r",
    "Call-ID: call-c@livekit\r",
    "CSeq: 2 INVITE\r",
    "",
    "----------------------------------------------- 2026-11-24 11:41:08.600000",
    "UDP message received [300] bytes :",
    "",
    "BYE sip:callee@127.0.0.1:5080 SIP/2.0\r",
    "Call-ID: call-c@livekit\r",
    "CSeq: 3 BYE\r",
    "",
    "----------------------------------------------- 2026-11-24 11:41:08.610000",
    "UDP message sent (300 bytes):",
    "",
    "SIP/2.0 200 OK\r",
    "Call-ID: call-c@livekit\r",
    "CSeq: 3 BYE\r",
    "",
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
        "----------------------------------------------- 2026-11-24 11:41:06.100000",
        "UDP message sent (600 bytes):",
        "",
        "INVITE sip:+15550100001@127.0.0.1:5060 SIP/2.0\r",
        "Call-ID: 1-2@127.0.0.2\r",
        "",
        "----------------------------------------------- 2026-11-24 11:41:06.300000",
        "UDP message received [300] bytes :",
        "",
        "SIP/2.0 180 Ringing\r",
        "Call-ID: 1-2@127.0.0.2\r",
        "",
      ].join("\n"),
    );
    expect(firstInviteSentAt(caller)).toBeCloseTo(localMs("2026-11-24T11:41:06") + 100, 3);
    expect(firstInviteSentAt(messages)).toBeUndefined();
  });
});

describe("dialersByNumber", () => {
  const invite = (at: string, number: string, via: string, callId: string) => [
    `----------------------------------------------- 2026-11-24 11:41:${at}`,
    "UDP message received [400] bytes :",
    "",
    `INVITE sip:${number}@127.0.0.1:5080 SIP/2.0\r`,
    `${via}\r`,
    `Call-ID: ${callId}\r`,
    "\r",
    "",
  ];
  const twoNodes = parseMessageLog(
    [
      ...invite("06.000000", "+15550130001", "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-1", "c1"),
      ...invite("06.100000", "+15550130001", "Via: SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bK-2", "c1"),
      ...invite("06.200000", "+15550130002", "v: SIP/2.0/UDP 127.0.0.3:5061;rport", "c2"),
      ...invite("06.300000", "+15550130003", "Max-Forwards: 70", "c3"),
      "----------------------------------------------- 2026-11-24 11:41:07.0",
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
