import { FakeTwilio } from "../../harness/twilio-fake";
import { credentialProvider, passwordHash, trunkPhoneNumberProvider, trunkProvider } from "../../../providers/twilio";
import { applyGraph, configureAll, destroyGraph, twilioProviders, type GraphSpec } from "./trunk-graph";

// Each case drives a dozen HTTP round trips (and one 1 s Retry-After); leave room on a busy machine.
jest.setTimeout(30_000);

const spec: GraphSpec = {
  domainName: "agent-studio-it.pstn.twilio.com",
  username: "livekit",
  password: "FirstPassw0rdXyz",
  originationHost: "203.0.113.10",
  phoneNumber: "+14155550100",
  cidrs: ["198.51.100.7", "203.0.113.0/24"],
};

let fake: FakeTwilio;

beforeEach(async () => {
  fake = await FakeTwilio.start();
  fake.state.ownPhoneNumber(spec.phoneNumber);
  await configureAll(fake);
});

afterEach(async () => {
  await fake.stop();
  fake.assertNoViolations();
});

describe("the whole trunk graph against the OpenAPI-validating fake", () => {
  it("creates, reads, rotates the password in place and deletes everything", async () => {
    const { state, actions } = await applyGraph(spec);
    expect(Object.values(actions).every((a) => a === "create")).toBe(true);

    // What Twilio now holds.
    const trunk = fake.state.trunks.get(state.trunk.id)!;
    expect(trunk.domainName).toBe(spec.domainName);
    expect([...trunk.credentialLists.keys()]).toEqual([state.credentialList.id]);
    expect([...trunk.ipAccessControlLists.keys()]).toEqual([state.ipAccessControlList.id]);
    expect([...trunk.originationUrls.values()].map((o) => o.sipUrl)).toEqual(["sip:203.0.113.10:5060"]);
    expect(fake.state.passwordOf(state.credential.id)).toBe(spec.password);
    expect(fake.state.phoneNumbers.get(state.phoneNumber.id)?.trunkSid).toBe(state.trunk.id);
    expect([...fake.state.ipAccessControlLists.get(state.ipAccessControlList.id)!.addresses.values()].map((a) => `${a.ipAddress}/${a.cidrPrefixLength}`).sort()).toEqual([
      "198.51.100.7/32",
      "203.0.113.0/24",
    ]);
    expect(state.phoneNumber.outputs).toMatchObject({ phoneNumberSid: state.phoneNumber.id, e164: spec.phoneNumber });

    // Read returns what create recorded, for every resource.
    for (const key of Object.keys(twilioProviders) as (keyof typeof twilioProviders)[]) {
      const read = await twilioProviders[key].read(state[key].id, state[key].outputs);
      expect({ key, ...read }).toEqual({ key, id: state[key].id, props: state[key].outputs });
    }

    // Rotation touches only the credential, in place.
    const rotated = await applyGraph({ ...spec, password: "SecondPassw0rdXyz" }, state);
    expect(rotated.actions).toEqual({
      trunk: "same",
      credentialList: "same",
      credential: "update",
      trunkCredentialList: "same",
      originationUrl: "same",
      phoneNumber: "same",
      ipAccessControlList: "same",
      trunkIpAccessControlList: "same",
    });
    expect(rotated.state.credential.id).toBe(state.credential.id);
    expect(fake.state.passwordOf(state.credential.id)).toBe("SecondPassw0rdXyz");
    expect(fake.requestsFor("UpdateSipCredential")).toHaveLength(1);

    await destroyGraph(rotated.state);
    expect(fake.state.trunks.size).toBe(0);
    expect(fake.state.credentialLists.size).toBe(0);
    expect(fake.state.ipAccessControlLists.size).toBe(0);
    expect(fake.state.phoneNumbers.get(state.phoneNumber.id)?.trunkSid).toBeNull();
  });

  it("shows no diff on a second apply and makes no write call", async () => {
    const first = await applyGraph(spec);
    const writesBefore = fake.requests.filter((r) => r.method !== "GET").length;
    const second = await applyGraph(spec, first.state);
    expect(new Set(Object.values(second.actions))).toEqual(new Set(["same"]));
    expect(fake.requests.filter((r) => r.method !== "GET")).toHaveLength(writesBefore);
  });

  it("names the replacing and in-place properties in each diff", async () => {
    const { state } = await applyGraph(spec);
    const moved = await applyGraph({ ...spec, originationHost: "203.0.113.99", username: "livekit2", domainName: "agent-studio-it2.pstn.twilio.com" }, state);
    expect(moved.actions).toMatchObject({ trunk: "update", credential: "replace", originationUrl: "update", phoneNumber: "same" });
    expect(await trunkProvider.diff(state.trunk.id, state.trunk.outputs, { ...state.trunk.inputs, domainName: "x.pstn.twilio.com" })).toMatchObject({
      replaces: [],
      updates: ["domainName"],
    });
    expect(
      await credentialProvider.diff(state.credential.id, state.credential.outputs, { ...state.credential.inputs, username: "other", password: "OtherPassw0rdXyz" }),
    ).toMatchObject({ replaces: ["username"], updates: ["password"] });
    expect(
      await trunkPhoneNumberProvider.diff(state.phoneNumber.id, state.phoneNumber.outputs, { ...state.phoneNumber.inputs, trunkSid: "TK" + "0".repeat(32) }),
    ).toMatchObject({ replaces: ["trunkSid"] });
  });

  it("detects changes made outside Pulumi when reading (refresh)", async () => {
    const { state } = await applyGraph(spec);
    const { client } = await outOfBandClient();

    fake.state.changePasswordOutOfBand(state.credential.id, "SomeoneElses1Pass");
    await client.trunking.v1.trunks(state.trunk.id).update({ friendlyName: "renamed in console" });
    await client.trunking.v1.trunks(state.trunk.id).originationUrls(state.originationUrl.id).remove();

    const credential = await readLive(credentialProvider, state.credential.id, state.credential.outputs);
    expect(credential.props.passwordHash).not.toBe(passwordHash(state.credential.id, spec.password));
    expect(credential.props.passwordHash).toMatch(/^changed outside Pulumi at /);
    expect(await credentialProvider.diff(state.credential.id, credential.props, state.credential.inputs)).toMatchObject({ changes: true, updates: ["password"] });

    const trunk = await readLive(trunkProvider, state.trunk.id, state.trunk.outputs);
    expect(trunk.props.friendlyName).toBe("renamed in console");
    expect(await trunkProvider.diff(state.trunk.id, trunk.props, state.trunk.inputs)).toMatchObject({ changes: true, updates: ["friendlyName"] });

    expect(await twilioProviders.originationUrl.read(state.originationUrl.id, state.originationUrl.outputs)).toEqual({});

    // The next apply restores the configured password.
    const refreshed = { ...state, credential: { ...state.credential, outputs: credential.props } };
    const repaired = await applyGraph(spec, refreshed);
    expect(repaired.actions.credential).toBe("update");
    expect(fake.state.passwordOf(state.credential.id)).toBe(spec.password);
  });

  it("treats 404 on delete as already done", async () => {
    const { state } = await applyGraph(spec);
    await destroyGraph(state);
    await expect(destroyGraph(state)).resolves.toBeUndefined();
    expect(fake.requestsFor("DeleteTrunk").map((r) => r.status)).toEqual([204, 404]);
    expect(fake.requestsFor("DeleteSipCredential").map((r) => r.status)).toEqual([204, 404]);
  });

  it("retries a 429, honouring Retry-After, then succeeds", async () => {
    const lines = captureConsole();
    fake.inject({ operationId: "CreateTrunk", status: 429, retryAfter: "1" });
    try {
      const created = await trunkProvider.create({
        friendlyName: "t",
        domainName: spec.domainName,
        secure: false,
        cnamLookupEnabled: false,
        transferMode: "disable-all",
      });
      expect(created.id).toMatch(/^TK/);
    } finally {
      lines.restore();
    }
    expect(fake.requestsFor("CreateTrunk").map((r) => r.status)).toEqual([429, 201]);
    expect(fake.state.trunks.size).toBe(1);
    expect(lines.all().join("\n")).toMatch(/create trunk "agent-studio-it\.pstn\.twilio\.com": HTTP 429 \(Twilio error 20429: Too Many Requests\); retrying in 1000 ms \(attempt 2 of 5\)/);
  });

  it("gives up on persistent 5xx with one clear error after the retry budget", async () => {
    const { state } = await applyGraph(spec);
    fake.inject({ operationId: "FetchTrunk", status: 503, retryAfter: "0", times: Infinity });
    const lines = captureConsole();
    const failure = trunkProvider.read(state.trunk.id, state.trunk.outputs).finally(() => lines.restore());
    await expect(failure).rejects.toThrow(
      new RegExp(
        `^Twilio SIP trunk "${spec.domainName.replace(/\./g, "\\.")}": read failed: fetch trunk ${state.trunk.id} failed after 5 attempts; ` +
          "last failure: HTTP 503 \\(Twilio error 20503: Service is unavailable\\)\\. The API is rate limiting or unavailable; wait and run the deployment again\\.$",
      ),
    );
    expect(fake.requestsFor("FetchTrunk").filter((r) => r.status === 503)).toHaveLength(5);
  });

  it("rejects a weak SIP password in check, before any API call", async () => {
    const requestsBefore = fake.requests.length;
    const result = await credentialProvider.check({} as never, { credentialListSid: "CL" + "0".repeat(32), username: "livekit", password: "weakpass" });
    expect(result.failures).toEqual([
      {
        property: "password",
        reason:
          "password does not meet Twilio's SIP password rules; it needs at least 12 characters (it has 8), a digit, an upper-case letter. " +
          "Set a new one with `pulumi config set --secret sipPassword <password>`",
      },
    ]);
    expect(JSON.stringify(result.failures)).not.toContain("weakpass");
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it("fails clearly for a phone number the account does not own, by number or by SID", async () => {
    const { state } = await applyGraph(spec);
    const accountSid = fake.credentials.accountSid;
    await expect(trunkPhoneNumberProvider.create({ trunkSid: state.trunk.id, phoneNumber: "+14155550199" })).rejects.toThrow(
      `Twilio trunk phone number +14155550199: create failed: phone number +14155550199 is not on Twilio account ${accountSid}. ` +
        'Buy or port it first (Twilio Console › Phone Numbers › Manage › Buy a number), or remove it from stack config "phoneNumbers".',
    );
    const unknownSid = "PN" + "f".repeat(32);
    await expect(trunkPhoneNumberProvider.create({ trunkSid: state.trunk.id, phoneNumber: unknownSid })).rejects.toThrow(
      `phone number ${unknownSid} is not on Twilio account ${accountSid}`,
    );
    expect(fake.requestsFor("CreatePhoneNumber")).toHaveLength(1);
  });

  it("accepts a phone number SID the account owns", async () => {
    const sid = fake.state.ownPhoneNumber("+14155550111");
    const { state } = await applyGraph(spec);
    const attached = await trunkPhoneNumberProvider.create({ trunkSid: state.trunk.id, phoneNumber: sid });
    expect(attached.outs).toMatchObject({ phoneNumberSid: sid, e164: "+14155550111" });
  });

  it("authenticates with an API key pair as well as the auth token", async () => {
    await configureAll(fake, "apiKey");
    const { state } = await applyGraph(spec);
    expect(fake.state.trunks.has(state.trunk.id)).toBe(true);
  });

  it("keeps every secret out of every logged line and error message", async () => {
    const secrets = [fake.credentials.authToken, spec.password, "SecondPassw0rdXyz"];
    const lines = captureConsole();
    const errors: string[] = [];
    try {
      fake.inject({ operationId: "CreateSipCredential", status: 429, retryAfter: "0" });
      fake.inject({ operationId: "UpdateSipCredential", status: 500, retryAfter: "0" });
      const { state } = await applyGraph(spec);
      await applyGraph({ ...spec, password: "SecondPassw0rdXyz" }, state);
      fake.inject({ operationId: "FetchSipCredential", status: 503, retryAfter: "0", times: Infinity });
      await credentialProvider.read(state.credential.id, state.credential.outputs).catch((e: Error) => errors.push(`${e.message}\n${e.stack}`));
      // Twilio echoing the password back in an error must not leak it either.
      fake.inject({ operationId: "UpdateSipCredential", status: 400, message: `Password ${spec.password} was used before` });
      await credentialProvider
        .update(state.credential.id, state.credential.outputs, { ...state.credential.inputs, password: spec.password })
        .catch((e: Error) => errors.push(`${e.message}\n${e.stack}`));
    } finally {
      lines.restore();
    }
    expect(errors).toHaveLength(2);
    expect(errors[1]).toContain("Password [redacted] was used before");
    expect(lines.all().length).toBeGreaterThan(0);
    for (const text of [...lines.all(), ...errors]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});

/** Reads a resource that must still exist, returning its live props. */
async function readLive<O>(provider: { read(id: string, props: O): Promise<{ id?: string; props?: O }> }, id: string, props: O): Promise<{ props: O }> {
  const result = await provider.read(id, props);
  if (result.props === undefined) throw new Error(`${id} is gone`);
  return { props: result.props };
}

/** A second SDK client on the same account, playing someone editing in the Twilio Console. */
async function outOfBandClient() {
  const { connectTwilio } = await import("../../../providers/twilio");
  const { staticProviderConfig } = await import("../../../providers/base");
  return connectTwilio(staticProviderConfig(fake.stackConfig("p"), "p"));
}

/** Captures console output and process stdout/stderr writes until restored. */
function captureConsole() {
  const captured: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void captured.push(args.map(String).join(" "))),
  );
  const writes = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, "write").mockImplementation(((chunk: unknown) => {
      captured.push(String(chunk));
      return true;
    }) as never),
  );
  return {
    all: () => [...captured],
    restore: () => [...spies, ...writes].forEach((spy) => spy.mockRestore()),
  };
}
