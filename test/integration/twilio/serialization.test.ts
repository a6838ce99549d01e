import * as pulumi from "@pulumi/pulumi";
import { staticProviderConfig } from "../../../providers/base";
import { FakeTwilio } from "../../harness/twilio-fake";
import { applyGraph, destroyGraph, PROJECT, twilioProviders, type ProviderSet } from "./trunk-graph";

// Serializing a provider closure takes seconds in jest, more on a busy machine.
jest.setTimeout(120_000);

let fake: FakeTwilio;

beforeAll(async () => {
  fake = await FakeTwilio.start();
});

afterAll(async () => {
  await fake.stop();
  fake.assertNoViolations();
});

/** Serializes a provider as `dynamic.Resource` does and loads it back as the provider process would. */
async function roundTrip(provider: object): Promise<{ text: string; revived: any }> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false });
  const requireFromString = require("require-from-string");
  return { text: serialized.text, revived: requireFromString(serialized.text).handler() };
}

describe("Twilio providers after Pulumi's closure serialization", () => {
  it("require the SDK at run time instead of inlining it, and carry no credentials", async () => {
    // The program process holds the stack's config, the Twilio credentials included: a provider
    // that read them outside `configure` would carry them in its serialized closure.
    const config = { ...fake.stackConfig(PROJECT), ...fake.stackConfig(PROJECT, "apiKey") };
    pulumi.runtime.setAllConfig(config, Object.keys(config).filter((key) => /Token|Secret/.test(key)));
    // Loaded afresh now, as index.ts loads them once the engine has handed the program its config.
    let providers: ProviderSet | undefined;
    jest.isolateModules(() => {
      providers = require("./trunk-graph").twilioProviders;
      expect(new (require("@pulumi/pulumi").Config)(PROJECT).require("twilioAuthToken")).toBe(fake.credentials.authToken);
    });
    for (const [name, provider] of Object.entries(providers!)) {
      const { text } = await roundTrip(provider);
      expect({ name, requiresSdk: text.includes('require("twilio")') }).toEqual({ name, requiresSdk: true });
      expect(text).not.toContain("class RequestClient");
      for (const secret of [fake.credentials.authToken, fake.credentials.apiKeySecret]) expect(text).not.toContain(secret);
    }
  });

  it("run the whole graph once configured from stack config, like the engine's provider process", async () => {
    const config = staticProviderConfig(fake.stackConfig(PROJECT), PROJECT);
    const revived: Record<string, any> = {};
    for (const [name, provider] of Object.entries(twilioProviders)) {
      revived[name] = (await roundTrip(provider)).revived;
      await revived[name].configure({ config });
    }
    fake.state.ownPhoneNumber("+14155550123");
    const spec = {
      domainName: "serialized.pstn.twilio.com",
      username: "livekit",
      password: "Serialized1Pass",
      originationHost: "203.0.113.10",
      phoneNumber: "+14155550123",
      cidrs: ["198.51.100.7/32"],
    };
    const { state } = await applyGraph(spec, undefined, revived as ProviderSet);
    expect(fake.state.trunks.get(state.trunk.id)?.domainName).toBe("serialized.pstn.twilio.com");
    expect(fake.state.passwordOf(state.credential.id)).toBe("Serialized1Pass");
    await destroyGraph(state, revived as ProviderSet);
    expect(fake.state.trunks.size).toBe(0);
  });
});
