import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { defaultComputedOutputs, isSecretOutput, MockRegistry, promiseOf, setRegistryMocks } from "../../../utils/pulumi-mocks";
import { registrationsSettled } from "../../../utils/pulumi-settle";

const sid = (prefix: string, name: string) => `${prefix}${Buffer.from(name).toString("hex").padEnd(32, "0").slice(0, 32)}`;

// Declaring dynamic resources serializes their providers' closures, which takes seconds in jest.
jest.setTimeout(60_000);

const registry = new MockRegistry({
  computed: {
    ...defaultComputedOutputs,
    "pulumi-nodejs:dynamic/twilio:Trunk": (_inputs, name) => ({ sid: sid("TK", name), accountSid: sid("AC", "acct") }),
    "pulumi-nodejs:dynamic/twilio:CredentialList": (_inputs, name) => ({ sid: sid("CL", name) }),
    "pulumi-nodejs:dynamic/twilio:Credential": (inputs, name) => ({ sid: sid("CR", name), passwordHash: `hash-of-${inputs.password}`, dateUpdated: "2026-01-05T10:00:00.000Z" }),
    "pulumi-nodejs:dynamic/twilio:OriginationUrl": (_inputs, name) => ({ sid: sid("OU", name) }),
    "pulumi-nodejs:dynamic/twilio:TrunkPhoneNumber": (inputs) => ({ phoneNumberSid: sid("PN", inputs.phoneNumber), e164: inputs.phoneNumber }),
    "pulumi-nodejs:dynamic/twilio:IpAccessControlList": (_inputs, name) => ({ sid: sid("AL", name), addressSids: {} }),
  },
});

let trunkModule: typeof import("../../../../components/twilio-sip-trunk");

beforeAll(async () => {
  setRegistryMocks(registry);
  trunkModule = await import("../../../../components/twilio-sip-trunk");
});

/** A component wired to a static IP the way the program wires it. */
function build(name: string, extra: Partial<import("../../../../components/twilio-sip-trunk").TwilioSipTrunkArgs> = {}) {
  const ip = new gcp.compute.Address(`${name}-static-ip`, { region: "europe-west1" });
  return new trunkModule.TwilioSipTrunk(name, {
    trunkDomain: "agent-studio-test.pstn.twilio.com",
    originationHost: ip.address,
    sipUsername: "livekit",
    sipPassword: pulumi.secret("Rotat3dPassword"),
    phoneNumbers: ["+14155550100", "PN" + "a".repeat(32)],
    ...extra,
  });
}

const inputsOf = (name: string) => registry.byName(name).inputs;

afterEach(() => registrationsSettled());

describe("TwilioSipTrunk under Pulumi mocks", () => {
  it("points the origination URL at the host's static IP on the SIP port", async () => {
    const trunk = build("voice");
    await registrationsSettled();
    expect(await promiseOf(trunk.originationUrls)).toEqual(["sip:203.0.113.10:5060"]);
    expect(inputsOf("voice-origination-0")).toMatchObject({
      sipUrl: "sip:203.0.113.10:5060",
      trunkSid: sid("TK", "voice-trunk"),
      priority: 10,
      weight: 10,
      enabled: true,
    });
  });

  it("hands LiveKit the credential that sits in the trunk's credential list", async () => {
    const trunk = build("auth");
    await registrationsSettled();
    const listSid = sid("CL", "auth-credential-list");
    expect(await promiseOf(trunk.sipUsername)).toBe("livekit");
    expect(await promiseOf(trunk.sipPassword)).toBe("Rotat3dPassword");
    expect(await isSecretOutput(trunk.sipPassword)).toBe(true);
    expect(inputsOf("auth-credential")).toMatchObject({ credentialListSid: listSid, username: "livekit", password: "Rotat3dPassword" });
    expect(inputsOf("auth-termination-auth")).toMatchObject({ trunkSid: sid("TK", "auth-trunk"), listSid });
    expect(await promiseOf(trunk.credentialListSid)).toBe(listSid);
    expect(await promiseOf(trunk.terminationUri)).toBe("agent-studio-test.pstn.twilio.com");
  });

  it("makes the SIP password secret even when given in clear", async () => {
    const trunk = build("clear", { sipPassword: "Rotat3dPassword" });
    expect(await isSecretOutput(trunk.sipPassword)).toBe(true);
  });

  it("attaches each phone number under a name that survives reordering", async () => {
    const trunk = build("numbers");
    await registrationsSettled();
    expect(inputsOf("numbers-number-14155550100")).toMatchObject({ trunkSid: sid("TK", "numbers-trunk"), phoneNumber: "+14155550100" });
    expect(inputsOf(`numbers-number-PN${"a".repeat(32)}`)).toMatchObject({ phoneNumber: `PN${"a".repeat(32)}` });
    expect(await promiseOf(trunk.phoneNumbers)).toEqual(["+14155550100", `PN${"a".repeat(32)}`]);
  });

  it("adds one origination URL per extra SIP node", async () => {
    const trunk = build("multi", { additionalOriginationHosts: ["198.51.100.20"], originationPort: 5080 });
    expect(await promiseOf(trunk.originationUrls)).toEqual(["sip:203.0.113.10:5080", "sip:198.51.100.20:5080"]);
  });

  it("creates the termination IP access control list only when CIDRs are given", async () => {
    build("noacl");
    await registrationsSettled();
    expect(registry.resources.some((r) => r.name.startsWith("noacl-termination-acl"))).toBe(false);
    build("acl", { terminationIpCidrs: ["198.51.100.7/32"] });
    await registrationsSettled();
    expect(inputsOf("acl-termination-acl")).toMatchObject({ cidrs: ["198.51.100.7/32"] });
    expect(inputsOf("acl-termination-acl-link")).toMatchObject({ trunkSid: sid("TK", "acl-trunk"), listSid: sid("AL", "acl-termination-acl") });
  });

  it("uses the documented type tokens and trunk defaults", async () => {
    build("types");
    await registrationsSettled();
    const types = registry.resources.filter((r) => r.name.startsWith("types-") && r.name !== "types-static-ip").map((r) => `${r.name} ${r.type}`);
    expect(types.sort()).toEqual(
      [
        "types-trunk pulumi-nodejs:dynamic/twilio:Trunk",
        "types-credential-list pulumi-nodejs:dynamic/twilio:CredentialList",
        "types-credential pulumi-nodejs:dynamic/twilio:Credential",
        "types-termination-auth pulumi-nodejs:dynamic/twilio:TrunkCredentialList",
        "types-origination-0 pulumi-nodejs:dynamic/twilio:OriginationUrl",
        "types-number-14155550100 pulumi-nodejs:dynamic/twilio:TrunkPhoneNumber",
        `types-number-PN${"a".repeat(32)} pulumi-nodejs:dynamic/twilio:TrunkPhoneNumber`,
      ].sort(),
    );
    expect(registry.byName("types").type).toBe("agent-studio:twilio:TwilioSipTrunk");
    expect(inputsOf("types-trunk")).toMatchObject({
      friendlyName: "types",
      domainName: "agent-studio-test.pstn.twilio.com",
      secure: false,
      cnamLookupEnabled: false,
      transferMode: "disable-all",
    });
  });

  it("rejects bad arguments with one line per problem before declaring anything", async () => {
    expect(() =>
      build("bad", { trunkDomain: "voice.example.com", phoneNumbers: ["4155550100", "+14155550100", "+14155550100"], terminationIpCidrs: ["10.0.0.0/99"] }),
    ).toThrow(
      /TwilioSipTrunk bad:\n- trunkDomain: "voice\.example\.com" is not a Twilio termination domain.*\n- phoneNumbers: "4155550100" is neither an E\.164 number.*\n- phoneNumbers: \+14155550100 is listed twice\n- terminationIpCidrs: "10\.0\.0\.0\/99" is not an IPv4 address or CIDR/,
    );
    await registrationsSettled();
    expect(registry.resources.filter((r) => r.name.startsWith("bad-") && r.name !== "bad-static-ip")).toEqual([]);
  });
});
