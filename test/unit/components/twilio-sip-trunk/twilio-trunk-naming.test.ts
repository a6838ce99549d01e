import fc from "fast-check";
import { originationSipUrl, phoneNumberSuffix, trunkArgsProblems } from "../../../../components/twilio-sip-trunk";

describe("origination SIP URIs", () => {
  it("put the host's IPv4 address and the SIP port in a sip: URI", () => {
    fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 1, max: 65535 }), (ip, port) => expect(originationSipUrl(ip, port)).toBe(`sip:${ip}:${port}`)));
    expect(originationSipUrl("203.0.113.10")).toBe("sip:203.0.113.10:5060");
  });

  it("bracket IPv6 hosts", () => {
    expect(originationSipUrl("2001:db8::1", 5060)).toBe("sip:[2001:db8::1]:5060");
  });
});

describe("phone number child names", () => {
  it("drop the plus so names stay valid and stable", () => {
    expect(phoneNumberSuffix("+14155550100")).toBe("14155550100");
    expect(phoneNumberSuffix(`PN${"a".repeat(32)}`)).toBe(`PN${"a".repeat(32)}`);
  });
});

describe("trunkArgsProblems", () => {
  const valid = { trunkDomain: "a.pstn.twilio.com", friendlyName: "voice", phoneNumbers: ["+14155550100"], terminationIpCidrs: [], originationPort: 5060 };

  it("accepts valid arguments", () => {
    expect(trunkArgsProblems(valid)).toEqual([]);
  });

  it("reports every problem with the argument name and value", () => {
    expect(trunkArgsProblems({ ...valid, friendlyName: "", originationPort: 70000, disasterRecoveryUrl: "ftp://x" })).toEqual([
      'friendlyName "" must not be empty',
      "originationPort: 70000 is not a port number from 1 to 65535",
      'disasterRecoveryUrl: "ftp://x" is not an absolute http(s) URL',
    ]);
  });
});
