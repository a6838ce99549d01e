import { SipClient } from "livekit-server-sdk";
import { outboundTrunkProvider, type OutboundTrunkInputs } from "../../../providers/livekit";
import { localCredentials } from "../../harness/livekit-server";
import { type LivekitStack, startLivekitStack } from "../../harness/voice-stack";
import { liveKitStackConfig } from "../../harness/livekit-providers";

jest.setTimeout(60_000);

let stack: LivekitStack;

beforeAll(async () => {
  stack = await startLivekitStack();
  await outboundTrunkProvider.configure({ config: liveKitStackConfig(stack.livekit) });
}, 90_000);
afterAll(() => stack?.stop());

function outbound(overrides: Partial<OutboundTrunkInputs> = {}): OutboundTrunkInputs {
  return {
    url: stack.livekit.url,
    name: "it-failures",
    address: "agent-studio-test.pstn.twilio.com",
    numbers: ["+15005550006"],
    authUsername: "livekit-test",
    authPassword: "Sip-Passw0rd-One",
    ...overrides,
  };
}

/** A second, separately configured copy of the provider, as another provider process would hold. */
function freshProvider(): typeof outboundTrunkProvider {
  let provider: typeof outboundTrunkProvider | undefined;
  jest.isolateModules(() => {
    provider = require("../../../providers/livekit/outbound-trunk").outboundTrunkProvider;
  });
  return provider as typeof outboundTrunkProvider;
}

describe("LiveKit SIP provider failures against livekit-server", () => {
  it("rejects an invalid number in check without calling the API", () =>
    stack.withLogs(async () => {
      const fetchSpy = jest.spyOn(globalThis, "fetch");
      try {
        const result = await outboundTrunkProvider.check({} as OutboundTrunkInputs, outbound({ numbers: ["+1 500 555 0006"] }));
        expect(result.failures).toEqual([
          { property: "numbers[0]", reason: expect.stringMatching(/^numbers\[0\]: got "\+1 500 555 0006"; expected an E\.164 phone number/) },
        ]);
        expect(fetchSpy).not.toHaveBeenCalled();
      } finally {
        fetchSpy.mockRestore();
      }
      const sip = new SipClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
      expect((await sip.listSipOutboundTrunk()).filter((t) => t.name === "it-failures")).toEqual([]);
    }));

  it("fails with an authentication error naming the config keys when the API secret is wrong", () =>
    stack.withLogs(async () => {
      const wrongSecret = localCredentials().apiSecret;
      const provider = freshProvider();
      await provider.configure({ config: liveKitStackConfig({ apiKey: stack.livekit.apiKey, apiSecret: wrongSecret }) });
      const failure = provider.create(outbound());
      await expect(failure).rejects.toThrow(
        /^LiveKit SIP outbound trunk "it-failures": create failed: LiveKit at http:\/\/127\.0\.0\.1:\d+ refused the API credentials \(HTTP 401: .*signature is invalid\)\. The stack config livekitApiKey\/livekitApiSecret must match/,
      );
      const message = await failure.catch((error: Error) => `${error.message}\n${error.stack}`);
      expect(message).not.toContain(wrongSecret);
      expect(message).not.toContain("Sip-Passw0rd-One");
      expect(message).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    }));

  it("fails the same way for an API key livekit-server does not know", () =>
    stack.withLogs(async () => {
      const provider = freshProvider();
      await provider.configure({ config: liveKitStackConfig({ apiKey: "APIunknown", apiSecret: stack.livekit.apiSecret }) });
      await expect(provider.read("ST_any", outbound())).rejects.toThrow(/refused the API credentials \(HTTP 401: invalid API key: APIunknown\)/);
    }));
});
