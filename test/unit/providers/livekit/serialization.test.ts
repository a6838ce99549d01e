import * as pulumi from "@pulumi/pulumi";
import { staticProviderConfig } from "../../../../providers/base";
import { dispatchRuleProvider, inboundTrunkProvider, outboundTrunkProvider } from "../../../../providers/livekit";

const apiSecret = "unit-test-api-secret-0123456789abcdef";
const config = staticProviderConfig(
  { "agent-studio-voice:livekitApiKey": "APIunit", "agent-studio-voice:livekitApiSecret": apiSecret },
  "agent-studio-voice",
);

/** Serializes a provider the way `dynamic.Resource` does and loads it back, as the provider process does. */
async function revive(provider: object): Promise<{ text: string; revived: typeof outboundTrunkProvider }> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  const requireFromString = require("require-from-string");
  return { text: serialized.text, revived: requireFromString(serialized.text).handler() };
}

describe("LiveKit providers under Pulumi's closure serialization", () => {
  it.each([
    ["outbound trunk", outboundTrunkProvider],
    ["inbound trunk", inboundTrunkProvider],
    ["dispatch rule", dispatchRuleProvider],
  ])("the %s provider serializes without credentials and still checks inputs", async (_kind, provider) => {
    // The program process never runs `configure`; only the revived copy in the provider process does.
    const { text, revived } = await revive(provider);
    expect(text).not.toContain(apiSecret);
    await revived.configure({ config });
    const result = await revived.check({} as never, { url: "http://voice.example.com", name: "x" } as never);
    expect(result.failures?.[0]).toEqual({ property: "url", reason: expect.stringContaining("https://<domain>") });
  });

  it("names the missing stack config when configured without credentials", async () => {
    await expect(outboundTrunkProvider.configure({ config: staticProviderConfig({}, "agent-studio-voice") })).rejects.toThrow(
      'Missing stack config "livekitApiKey": set it with `pulumi config set livekitApiKey APIvoiceprod`.',
    );
  });
});
