import { answersRequest, buildOptionsRequest, parseSipResponse } from "../../../../scripts/doctor/sip-message";

const ids = { branch: "z9hG4bK0123abcd", tag: "a1b2c3", callId: "f00d@agent-studio-doctor" };

describe("the SIP OPTIONS request", () => {
  const request = buildOptionsRequest({ targetHost: "203.0.113.10", targetPort: 5060, localHost: "198.51.100.7", localPort: 40000 }, ids);

  it("is a complete RFC 3261 request: CRLF lines, the mandatory headers, an empty body", () => {
    expect(request.startsWith("OPTIONS sip:203.0.113.10:5060 SIP/2.0\r\n")).toBe(true);
    expect(request.endsWith("Content-Length: 0\r\n\r\n")).toBe(true);
    expect(request).not.toMatch(/[^\r]\n/);
    for (const header of ["Via: SIP/2.0/UDP 198.51.100.7:40000;branch=z9hG4bK0123abcd;rport", "Max-Forwards: 70", "From: <sip:doctor@198.51.100.7:40000>;tag=a1b2c3", "To: <sip:203.0.113.10:5060>", "Call-ID: f00d@agent-studio-doctor", "CSeq: 1 OPTIONS"]) {
      expect(request.split("\r\n")).toContain(header);
    }
  });

  it("brackets IPv6 addresses", () => {
    expect(buildOptionsRequest({ targetHost: "::1", targetPort: 5060, localHost: "::1", localPort: 1 }, ids)).toMatch(/^OPTIONS sip:\[::1\]:5060 SIP\/2\.0/);
  });
});

describe("parsing the answer", () => {
  it("reads the status, Call-ID (also in compact form), CSeq and Server", () => {
    const ok = parseSipResponse("SIP/2.0 200 OK\r\nVia: x\r\ni: f00d@agent-studio-doctor\r\nCSeq: 1 OPTIONS\r\nServer: LiveKit\r\nContent-Length: 0\r\n\r\n");
    expect(ok).toEqual({ status: 200, reason: "OK", callId: "f00d@agent-studio-doctor", cseq: "1 OPTIONS", server: "LiveKit" });
    expect(answersRequest(ok!, ids)).toBe(true);
  });

  it("ignores requests, noise and answers to other requests", () => {
    expect(parseSipResponse("OPTIONS sip:x SIP/2.0\r\n\r\n")).toBeUndefined();
    expect(parseSipResponse("hello")).toBeUndefined();
    const other = parseSipResponse("SIP/2.0 200 OK\r\nCall-ID: other\r\nCSeq: 1 OPTIONS\r\n\r\n")!;
    expect(answersRequest(other, ids)).toBe(false);
    const invite = parseSipResponse("SIP/2.0 200 OK\r\nCall-ID: f00d@agent-studio-doctor\r\nCSeq: 1 INVITE\r\n\r\n")!;
    expect(answersRequest(invite, ids)).toBe(false);
  });
});
