import {
  checkDispatchRule,
  checkInboundTrunk,
  checkOutboundTrunk,
  dispatchRuleProvider,
  inboundTrunkProvider,
  outboundTrunkProvider,
  type InboundTrunkInputs,
  type OutboundTrunkInputs,
} from "../../../../providers/livekit";
import { UNKNOWN_VALUE } from "../../../../providers/base";

const outbound: OutboundTrunkInputs = {
  url: "https://voice.example.com",
  name: "prod-outbound",
  address: "agent-studio.pstn.twilio.com",
  numbers: ["+14155550100"],
  authUsername: "livekit",
  authPassword: "Sip-Passw0rd-Secret",
};

const inbound: InboundTrunkInputs = {
  url: "https://voice.example.com",
  name: "prod-inbound",
  numbers: ["+14155550100"],
  allowedAddresses: ["54.172.60.0/30"],
};

const dispatch = {
  url: "https://voice.example.com",
  name: "prod-inbound-calls",
  trunkIds: ["ST_abc123"],
  roomPrefix: "call-",
  agentName: "agent-studio",
};

const properties = (failures: { property: string }[]) => failures.map((f) => f.property);

describe("outbound trunk check", () => {
  it("accepts valid inputs and fills the transport and headers defaults", () => {
    const { inputs, failures } = checkOutboundTrunk(outbound);
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ ...outbound, transport: "auto", headers: {} });
  });

  it("names each bad field, the value and the expected form", () => {
    const { failures } = checkOutboundTrunk({
      ...outbound,
      address: "sip:agent-studio.pstn.twilio.com",
      numbers: ["+14155550100", "4155550101", "+14155550100"],
      transport: "sctp" as never,
      headers: { From: "x" },
      destinationCountry: "usa",
    });
    expect(properties(failures)).toEqual(["address", "numbers[1]", "numbers[2]", "transport", "headers.From", "destinationCountry"]);
    expect(failures[1].reason).toBe(
      'numbers[1]: got "4155550101"; expected an E.164 phone number: \'+\', the country code and the subscriber number, 7-15 digits in all, no spaces or dashes (e.g. +14155550100)',
    );
    expect(failures[2].reason).toMatch(/listed twice/);
  });

  it("requires at least one number and a password with the username", () => {
    const { failures } = checkOutboundTrunk({ ...outbound, numbers: [], authPassword: undefined });
    expect(failures.map((f) => f.reason)).toEqual([
      "numbers needs at least 1 entry: the E.164 numbers outbound calls are placed from (the Twilio trunk's numbers)",
      "authPassword is required when authUsername is set: the carrier authenticates outbound calls with both",
    ]);
  });

  it("skips values not known until apply", () => {
    const { failures } = checkOutboundTrunk({ ...outbound, address: UNKNOWN_VALUE, numbers: [UNKNOWN_VALUE], authPassword: UNKNOWN_VALUE });
    expect(failures).toEqual([]);
  });

  it("never repeats a secret in a failure", async () => {
    const result = await outboundTrunkProvider.check(outbound, { ...outbound, authUsername: "", authPassword: "Sip-Passw0rd-Secret" });
    expect(properties(result.failures ?? [])).toEqual(["authUsername"]);
    expect(JSON.stringify(result.failures)).not.toContain("Sip-Passw0rd-Secret");
  });
});

describe("inbound trunk check", () => {
  it("accepts carrier ranges without auth", () => {
    expect(checkInboundTrunk(inbound).failures).toEqual([]);
  });

  it("bounds how long a caller rings while no agent answers: 20 s by default, 1-180 s when given", () => {
    expect(checkInboundTrunk(inbound).inputs.ringingTimeoutSeconds).toBe(20);
    expect(checkInboundTrunk({ ...inbound, ringingTimeoutSeconds: 45 })).toMatchObject({ inputs: { ringingTimeoutSeconds: 45 }, failures: [] });
    for (const bad of [0, 181, 2.5]) {
      expect(checkInboundTrunk({ ...inbound, ringingTimeoutSeconds: bad }).failures).toEqual([
        { property: "ringingTimeoutSeconds", reason: expect.stringContaining(`ringingTimeoutSeconds: got ${bad}; expected whole seconds from 1 to 180`) },
      ]);
    }
  });

  it("bounds inbound calls from 60 s to livekit-sip's 24 hours when given, and leaves them to livekit-sip when not", () => {
    expect(checkInboundTrunk(inbound).inputs).not.toHaveProperty("maxCallDurationSeconds");
    expect(checkInboundTrunk({ ...inbound, maxCallDurationSeconds: 1800 })).toMatchObject({ inputs: { maxCallDurationSeconds: 1800 }, failures: [] });
    for (const bad of [59, 86_401, 90.5]) {
      expect(checkInboundTrunk({ ...inbound, maxCallDurationSeconds: bad }).failures).toEqual([
        { property: "maxCallDurationSeconds", reason: expect.stringContaining(`maxCallDurationSeconds: got ${bad}; expected whole seconds from 60 to 86400`) },
      ]);
    }
  });

  it("refuses a trunk anyone could call into", () => {
    expect(checkInboundTrunk({ ...inbound, allowedAddresses: [] }).failures[0].reason).toMatch(/anyone could call in/);
    expect(checkInboundTrunk({ ...inbound, allowedAddresses: ["0.0.0.0/0"] }).failures[0].reason).toMatch(/admits every source/);
    expect(
      checkInboundTrunk({ ...inbound, allowedAddresses: ["0.0.0.0/0"], authUsername: "twilio", authPassword: "Inbound-Secret-1" }).failures,
    ).toEqual([]);
  });

  it("names a malformed range", () => {
    const { failures } = checkInboundTrunk({ ...inbound, allowedAddresses: ["54.172.60.0/33"] });
    expect(failures).toEqual([
      {
        property: "allowedAddresses[0]",
        reason: expect.stringContaining('allowedAddresses[0]: got "54.172.60.0/33"; expected an IP address or CIDR block'),
      },
    ]);
  });
});

describe("dispatch rule check", () => {
  it("accepts a rule for a trunk and an agent", () => {
    expect(checkDispatchRule(dispatch)).toEqual([]);
  });

  it("requires a trunk and a valid agent name", () => {
    expect(properties(checkDispatchRule({ ...dispatch, trunkIds: [], agentName: "" }))).toEqual(["trunkIds", "agentName"]);
    expect(properties(checkDispatchRule({ ...dispatch, trunkIds: ["trunk-1"], roomPrefix: "call room" }))).toEqual([
      "trunkIds[0]",
      "roomPrefix",
    ]);
  });
});

describe("diffs", () => {
  it("updates a password rotation in place, keeping the trunk", async () => {
    const olds = checkOutboundTrunk(outbound).inputs;
    const news = checkOutboundTrunk({ ...outbound, authPassword: "Rotated-Passw0rd" }).inputs;
    expect(await outboundTrunkProvider.diff("ST_1", olds, news)).toMatchObject({ changes: true, replaces: [], updates: ["authPassword"] });
  });

  it("reports no change for the same inputs, defaults included", async () => {
    const olds = checkOutboundTrunk(outbound).inputs;
    expect(await outboundTrunkProvider.diff("ST_1", olds, checkOutboundTrunk({ ...outbound }).inputs)).toMatchObject({ changes: false });
  });

  it("updates headers, transport, numbers and country in place", async () => {
    const olds = checkOutboundTrunk(outbound).inputs;
    const news = checkOutboundTrunk({
      ...outbound,
      numbers: ["+14155550101"],
      transport: "tls",
      headers: { "X-Env": "prod" },
      destinationCountry: "US",
    }).inputs;
    const diff = await outboundTrunkProvider.diff("ST_1", olds, news);
    expect(diff).toMatchObject({ replaces: [], updates: ["numbers", "transport", "headers", "destinationCountry"] });
  });

  it("recreates resources moved to another server, inbound ones deleting first", async () => {
    const url = "https://voice2.example.com";
    expect(await outboundTrunkProvider.diff("ST_1", outbound, { ...outbound, url })).toMatchObject({
      replaces: ["url"],
      deleteBeforeReplace: false,
    });
    expect(await inboundTrunkProvider.diff("ST_2", inbound, { ...inbound, url })).toMatchObject({
      replaces: ["url"],
      deleteBeforeReplace: true,
    });
    expect(await dispatchRuleProvider.diff("SDR_1", dispatch, { ...dispatch, url })).toMatchObject({
      replaces: ["url"],
      deleteBeforeReplace: true,
    });
  });

  it("updates the dispatch rule in place when the inbound trunk or agent changes", async () => {
    const diff = await dispatchRuleProvider.diff("SDR_1", dispatch, { ...dispatch, trunkIds: ["ST_new"], agentName: "agent-2" });
    expect(diff).toMatchObject({ replaces: [], updates: ["trunkIds", "agentName"] });
  });
});

describe("list entries", () => {
  it("refuses empty and non-string entries", () => {
    const { failures } = checkOutboundTrunk({ ...outbound, numbers: ["", 14155550100 as never] });
    expect(properties(failures)).toEqual(["numbers[0]", "numbers[1]"]);
  });
});
