import fc from "fast-check";
import { apiUrlProblem } from "../../../../providers/livekit/api-url";
import {
  allowedAddressProblem,
  countryProblem,
  e164Problem,
  headerNameProblem,
  headerValueProblem,
  sipHostProblem,
} from "../../../../providers/livekit/sip-values";

describe("LiveKit SIP value rules", () => {
  it("accepts E.164 numbers and refuses national, spaced or too long forms", () => {
    expect(e164Problem("+14155550100")).toBeUndefined();
    expect(e164Problem("+919876543210")).toBeUndefined();
    for (const bad of ["14155550100", "+1 415 555 0100", "+1-415-555-0100", "+01415555010", "+1234567890123456", "+12345"]) {
      expect(e164Problem(bad)).toMatch(/E\.164.*\+14155550100/);
    }
  });

  it("accepts every well-formed E.164 number (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{6,14}$/), (lead, rest) => {
        expect(e164Problem(`+${lead}${rest}`)).toBeUndefined();
      }),
    );
  });

  it("accepts IPv4/IPv6 addresses and CIDRs whose prefix fits the family", () => {
    for (const good of ["54.172.60.0/30", "54.172.60.1", "0.0.0.0/0", "2600:1f18::/32", "::1", "10.0.0.0/8"]) {
      expect(allowedAddressProblem(good)).toBeUndefined();
    }
    for (const bad of ["54.172.60.0/33", "2600:1f18::/129", "54.172.60", "example.com", "54.172.60.0/30/1", "54.172.60.0/", "10.0.0.0/x"]) {
      expect(allowedAddressProblem(bad)).toMatch(/IP address or CIDR/);
    }
  });

  it("accepts any IPv4 CIDR and refuses prefix lengths above 32 (property)", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 64 }), (ip, prefix) => {
        const problem = allowedAddressProblem(`${ip}/${prefix}`);
        expect(problem === undefined).toBe(prefix <= 32);
      }),
    );
  });

  it("takes a bare carrier host, optionally with a port, and explains why a SIP URI is refused", () => {
    expect(sipHostProblem("agent-studio.pstn.twilio.com")).toBeUndefined();
    expect(sipHostProblem("agent-studio.pstn.twilio.com:5061")).toBeUndefined();
    expect(sipHostProblem("203.0.113.7")).toBeUndefined();
    expect(sipHostProblem("sip:agent-studio.pstn.twilio.com")).toMatch(/drop the 'sip:' prefix/);
    expect(sipHostProblem("agent-studio.pstn.twilio.com;transport=tcp")).toMatch(/not a SIP URI/);
    expect(sipHostProblem("user@agent-studio.pstn.twilio.com")).toMatch(/not a SIP URI/);
    expect(sipHostProblem("host:70000")).toMatch(/port \(1-65535\)/);
    expect(sipHostProblem("bad_host.example.com")).toMatch(/hostname or IPv4/);
  });

  it("takes upper-case ISO country codes only", () => {
    expect(countryProblem("US")).toBeUndefined();
    expect(countryProblem("us")).toMatch(/alpha-2/);
    expect(countryProblem("USA")).toMatch(/alpha-2/);
  });

  it("takes custom X- headers with printable ASCII values", () => {
    expect(headerNameProblem("X-Agent-Studio-Env")).toBeUndefined();
    expect(headerNameProblem("From")).toMatch(/starting with 'X-'/);
    expect(headerNameProblem("X-Bad Header")).toMatch(/starting with 'X-'/);
    expect(headerValueProblem("prod")).toBeUndefined();
    expect(headerValueProblem("a\r\nInjected: 1")).toMatch(/printable ASCII/);
    expect(headerValueProblem("x".repeat(1025))).toMatch(/1024/);
  });

  it("wants the API through TLS, allowing plain http to loopback only", () => {
    expect(apiUrlProblem("https://voice.example.com")).toBeUndefined();
    expect(apiUrlProblem("https://voice.example.com:8443")).toBeUndefined();
    expect(apiUrlProblem("http://127.0.0.1:7880")).toBeUndefined();
    expect(apiUrlProblem("http://localhost:7880")).toBeUndefined();
    expect(apiUrlProblem("http://voice.example.com")).toMatch(/https:\/\/<domain>.*in clear/);
    expect(apiUrlProblem("https://voice.example.com/twirp")).toMatch(/only a scheme, a host/);
    expect(apiUrlProblem("voice.example.com")).toMatch(/absolute URL/);
  });
});
