/**
 * The trunks' `mediaEncryption` (secure trunking's SRTP requirement) against the real livekit-server:
 * stored as the trunk's `media.encryption`, read back on refresh, changed in place, and absent on a
 * trunk that never set it, so a stack created before the field refreshes without drift.
 */
import { SipClient } from "livekit-server-sdk";
import { inboundTrunkProvider, type InboundTrunkInputs, outboundTrunkProvider, type OutboundTrunkInputs } from "../../../providers/livekit";
import { type LivekitStack, startLivekitStack } from "../../harness/voice-stack";
import { configureLivekitProviders, createChecked, upAgain } from "./provider-steps";

jest.setTimeout(60_000);

let stack: LivekitStack;
let sip: SipClient;

beforeAll(async () => {
  stack = await startLivekitStack();
  await configureLivekitProviders(stack.livekit);
  sip = new SipClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
}, 90_000);
afterAll(() => stack?.stop());

const outbound = (overrides: Partial<OutboundTrunkInputs>): OutboundTrunkInputs => ({
  url: stack.livekit.url,
  name: "it-srtp-outbound",
  address: "agent-studio-test.pstn.twilio.com",
  numbers: ["+15005550010"],
  transport: "tls",
  headers: {},
  ...overrides,
});

const inbound = (overrides: Partial<InboundTrunkInputs>): InboundTrunkInputs => ({
  url: stack.livekit.url,
  name: "it-srtp-inbound",
  numbers: ["+15005550011"],
  allowedAddresses: ["54.172.60.0/30"],
  ...overrides,
});

describe("mediaEncryption on LiveKit's trunks", () => {
  it("stores require on the outbound trunk, reads it back, and changes it in place", () =>
    stack.withLogs(async () => {
      const created = await createChecked(outboundTrunkProvider, outbound({ mediaEncryption: "require" }));
      const [live] = await sip.listSipOutboundTrunk({ trunkIds: [created.id] });
      expect(live.media?.encryption).toBe(2);
      const again = await upAgain(outboundTrunkProvider, created.id, created.outs, outbound({ mediaEncryption: "allow" }));
      expect(again.refreshed.props?.mediaEncryption).toBe("require");
      expect(again.diff.replaces).toEqual([]);
      expect((await outboundTrunkProvider.read(created.id, again.outs)).props?.mediaEncryption).toBe("allow");
    }));

  it("stores require on the inbound trunk, and leaves a trunk without it unset on refresh (no drift)", () =>
    stack.withLogs(async () => {
      const secure = await createChecked(inboundTrunkProvider, inbound({ mediaEncryption: "require" }));
      expect((await inboundTrunkProvider.read(secure.id, secure.outs)).props?.mediaEncryption).toBe("require");
      const clear = await createChecked(inboundTrunkProvider, inbound({ name: "it-clear-inbound", numbers: ["+15005550012"] }));
      const again = await upAgain(inboundTrunkProvider, clear.id, clear.outs, inbound({ name: "it-clear-inbound", numbers: ["+15005550012"] }));
      expect(again.refreshed.props?.mediaEncryption).toBeUndefined();
      expect(again.diff.changes).toBe(false);
    }));
});
