import fc from "fast-check";
import { sipPasswordShortfalls } from "../../../../providers/twilio/rules";
import { findRotationTargets } from "../../../../scripts/rotation/rotation-targets";
import { generatedPasswordLength, generateSipPassword } from "../../../../scripts/rotation/sip-password";
import { nextSipUsername } from "../../../../scripts/rotation/sip-username";

const types = { twilioCredential: "pulumi-nodejs:dynamic/twilio:Credential", livekitOutboundTrunk: "pulumi-nodejs:dynamic/livekit:SipOutboundTrunk" };

describe("generateSipPassword", () => {
  it("always meets Twilio's rules, whatever the random draws", () => {
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), (draws) => {
        const random = (max: number) => draws.next().value % max;
        const password = generateSipPassword(random);
        return password.length === generatedPasswordLength && /^[A-Za-z0-9]+$/.test(password) && sipPasswordShortfalls(password).length === 0;
      }),
    );
  });

  it("draws from the OS's random source by default", () => {
    const passwords = new Set(Array.from({ length: 50 }, () => generateSipPassword()));
    expect(passwords.size).toBe(50);
  });
});

describe("nextSipUsername", () => {
  it("alternates between the -a and -b slots of the base name", () => {
    expect(nextSipUsername("livekit-prod")).toBe("livekit-prod-a");
    expect(nextSipUsername("livekit-prod-a")).toBe("livekit-prod-b");
    expect(nextSipUsername("livekit-prod-b")).toBe("livekit-prod-a");
  });

  it("never returns the current username, two rotations come back to the same slot", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{1,30}$/), (name) => {
        const next = nextSipUsername(name);
        return next !== name && nextSipUsername(nextSipUsername(next)) === next;
      }),
    );
  });

  it("refuses a base name too long for Twilio's 32 characters, naming the key and the fix", () => {
    expect(() => nextSipUsername("x".repeat(31))).toThrow(
      /agent-studio-voice:sipUsername = "x{31}": .* 33 characters; Twilio allows at most 32\. Fix: choose a base name of at most 30 characters/,
    );
  });
});

describe("findRotationTargets", () => {
  const exported = (resources: object[]) => JSON.stringify({ version: 3, deployment: { resources } });

  it("returns the one live credential and outbound trunk, ignoring resources pending deletion", () => {
    const text = exported([
      { urn: "urn:c-old", type: types.twilioCredential, delete: true },
      { urn: "urn:c", type: types.twilioCredential },
      { urn: "urn:t", type: types.livekitOutboundTrunk },
    ]);
    expect(findRotationTargets(text, types, "prod")).toEqual({ twilioCredential: "urn:c", livekitOutboundTrunk: "urn:t" });
  });

  it("explains a stack where one of them is missing or ambiguous", () => {
    expect(() => findRotationTargets(exported([{ urn: "urn:c", type: types.twilioCredential }]), types, "prod")).toThrow(
      /no LiveKit outbound trunk .* Run `pulumi up --stack prod` first/,
    );
    const two = exported([
      { urn: "urn:c1", type: types.twilioCredential },
      { urn: "urn:c2", type: types.twilioCredential },
      { urn: "urn:t", type: types.livekitOutboundTrunk },
    ]);
    expect(() => findRotationTargets(two, types, "prod")).toThrow(/has 2 resources of type .*Credential \(urn:c1, urn:c2\)/);
    expect(() => findRotationTargets("Enter your passphrase", types, "prod")).toThrow(/did not print a JSON deployment/);
  });
});
