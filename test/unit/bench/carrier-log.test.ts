import { callIdsByNumber, dialedNumber, firstInviteAt, hangups } from "../../../bench/carrier-log";
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
