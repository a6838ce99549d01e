/**
 * The rolling deploy's origination URL switch against the OpenAPI-validating fake, as the engine's
 * provider process runs it: after Pulumi's closure serialization, configured from stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import { staticProviderConfig } from "../../../providers/base";
import { originationUrlProvider, originationUrlSwitchProvider, type OriginationUrlSwitchInputs, trunkProvider } from "../../../providers/twilio";
import { FakeTwilio } from "../../harness/twilio-fake";
import { applyResource } from "../../utils/dynamic-provider-engine";
import { PROJECT } from "./trunk-graph";

// Serializing a provider closure takes seconds in jest, more on a busy machine.
jest.setTimeout(120_000);

let fake: FakeTwilio;
let urlSid: string;
let trunkSid: string;
let provider: typeof originationUrlSwitchProvider;

beforeAll(async () => {
  fake = await FakeTwilio.start();
  const config = staticProviderConfig(fake.stackConfig(PROJECT), PROJECT);
  const serialized = await pulumi.runtime.serializeFunction(() => originationUrlSwitchProvider, { allowSecrets: false });
  provider = require("require-from-string")(serialized.text).handler();
  for (const p of [trunkProvider, originationUrlProvider, provider]) await p.configure({ config });
  trunkSid = (await applyResource(trunkProvider, undefined, { friendlyName: "switch test", domainName: "switch-test.pstn.twilio.com", secure: false, cnamLookupEnabled: false, transferMode: "disable-all" })).state.id;
  urlSid = (await applyResource(originationUrlProvider, undefined, { trunkSid, friendlyName: "node-0", sipUrl: "sip:203.0.113.10:5060", priority: 10, weight: 10, enabled: true })).state.id;
});

afterAll(async () => {
  await fake.stop();
  fake.assertNoViolations();
});

const enabledOnTwilio = () => fake.state.trunks.get(trunkSid)!.originationUrls.get(urlSid)!.enabled;
const inputs = (enabled: boolean, revision: string): OriginationUrlSwitchInputs => ({ trunkSid, originationUrlSid: urlSid, enabled, revision });

describe("origination URL switch", () => {
  it("sets the flag on create and on each new revision, and on nothing else", async () => {
    const off = await applyResource(provider, undefined, inputs(false, "r1"));
    expect(off.action).toBe("create");
    expect(enabledOnTwilio()).toBe(false);

    // Enabled again by hand (or by the node's other switch): the same revision changes nothing.
    await fake.state.handlers.UpdateOriginationUrl({ params: { TrunkSid: trunkSid, Sid: urlSid }, form: { Enabled: "true" }, query: {} });
    const same = await applyResource(provider, off.state, inputs(false, "r1"));
    expect(same.action).toBe("same");
    expect(enabledOnTwilio()).toBe(true);

    const next = await applyResource(provider, off.state, inputs(false, "r2"));
    expect(next.action).toBe("update");
    expect(enabledOnTwilio()).toBe(false);
    expect(fake.requestsFor("UpdateOriginationUrl").map((r) => r.form)).toEqual([{ Enabled: "false" }, { Enabled: "false" }]);
  });

  it("reads back what it recorded while the URL exists, and deleting it leaves the URL as it is", async () => {
    const on = await applyResource(provider, undefined, inputs(true, "r3"));
    expect(enabledOnTwilio()).toBe(true);
    const read = await provider.read(on.state.id, on.state.outputs);
    expect(read.props).toEqual(on.state.outputs);
    await provider.delete(on.state.id, on.state.outputs);
    expect(fake.state.trunks.get(trunkSid)!.originationUrls.has(urlSid)).toBe(true);
    expect(enabledOnTwilio()).toBe(true);
  });

  it("retries Twilio's 503 and fails on a URL that is gone, naming it", async () => {
    fake.inject({ operationId: "UpdateOriginationUrl", status: 503 });
    await applyResource(provider, undefined, inputs(false, "r4"));
    expect(enabledOnTwilio()).toBe(false);
    await expect(applyResource(provider, undefined, { ...inputs(true, "r5"), originationUrlSid: "OU" + "0".repeat(32) })).rejects.toThrow(
      /^Twilio origination URL switch "OU0{32}" \(enabled=true\): create failed: HTTP 404, Twilio error 20404/,
    );
  });
});
