import fc from "fast-check";
import { rules } from "../../../../providers/twilio";

describe("Twilio SIP password rules", () => {
  it("accepts exactly the passwords with 12-255 characters, a digit, upper and lower case", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (password) => {
        const ok = password.length >= 12 && password.length <= 255 && /\d/.test(password) && /[A-Z]/.test(password) && /[a-z]/.test(password);
        expect(rules.sipPasswordProblem(password) === undefined).toBe(ok);
      }),
    );
  });

  it("says what is missing without quoting the password", () => {
    const reason = rules.sipPasswordProblem("alllowercase")!;
    expect(reason).toContain("a digit, an upper-case letter");
    expect(reason).not.toContain("alllowercase");
    expect(rules.sipPasswordProblem("IWasAtSignal2018")).toBeUndefined();
  });
});

describe("trunk domain", () => {
  it("needs labels of letters, digits and '-' before pstn.twilio.com", () => {
    expect(rules.trunkDomainProblem("agent-studio-prod.pstn.twilio.com")).toBeUndefined();
    expect(rules.trunkDomainProblem("pstn.twilio.com")).toMatch(/not a Twilio termination domain/);
    expect(rules.trunkDomainProblem("voice.example.com")).toMatch(/"voice\.example\.com" is not a Twilio termination domain/);
    expect(rules.trunkDomainProblem("under_score.pstn.twilio.com")).toBeDefined();
    expect(rules.trunkDomainProblem("-lead.pstn.twilio.com")).toBeDefined();
  });
});

describe("phone numbers", () => {
  it("accepts E.164 numbers and PN SIDs only", () => {
    expect(rules.phoneNumberProblem("+14155550100")).toBeUndefined();
    expect(rules.phoneNumberProblem(`PN${"0a".repeat(16)}`)).toBeUndefined();
    expect(rules.phoneNumberProblem("4155550100")).toMatch(/neither an E\.164 number/);
    expect(rules.phoneNumberProblem("+0123")).toBeDefined();
    expect(rules.phoneNumberProblem("+1234567890123456")).toBeDefined();
  });
});

describe("IPv4 CIDRs", () => {
  it("accepts every address with a /8-/32 prefix and splits it back", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 8, max: 32 }), (ip, prefix) => {
        expect(rules.ipv4CidrProblem(`${ip}/${prefix}`)).toBeUndefined();
        expect(rules.splitCidr(`${ip}/${prefix}`)).toEqual({ ipAddress: ip, prefixLength: prefix });
      }),
    );
  });

  it("rejects out-of-range octets and prefixes", () => {
    expect(rules.ipv4CidrProblem("256.0.0.1")).toBeDefined();
    expect(rules.ipv4CidrProblem("10.0.0.0/7")).toBeDefined();
    expect(rules.ipv4CidrProblem("10.0.0.0/33")).toBeDefined();
    expect(rules.splitCidr("198.51.100.7")).toEqual({ ipAddress: "198.51.100.7", prefixLength: 32 });
  });
});

describe("origination URL fields", () => {
  it("checks the SIP URI, priority and weight ranges", () => {
    expect(rules.sipUrlProblem("sip:203.0.113.10:5060")).toBeUndefined();
    expect(rules.sipUrlProblem("http://203.0.113.10")).toBeDefined();
    expect(rules.priorityProblem(0)).toBeUndefined();
    expect(rules.priorityProblem(65536)).toBeDefined();
    expect(rules.weightProblem(0)).toBeDefined();
    expect(rules.weightProblem(1.5)).toBeDefined();
  });

  it("limits usernames and friendly names to Twilio's lengths", () => {
    expect(rules.sipUsernameProblem("a".repeat(32))).toBeUndefined();
    expect(rules.sipUsernameProblem("a".repeat(33))).toMatch(/33 characters; Twilio allows at most 32/);
    expect(rules.sipUsernameProblem("user@host")).toBeDefined();
    expect(rules.friendlyNameProblem("x".repeat(65))).toMatch(/at most 64/);
  });
});
