/**
 * Redis's data lost anyway (the boot disk replaced, the volume deleted): the project's LiveKit
 * providers against the real livekit-server, driven as `pulumi refresh` then `pulumi up` drive
 * them. Refresh must see every trunk and rule as gone, so the next up creates them again.
 */
import { SipClient } from "livekit-server-sdk";
import {
  dispatchRuleProvider,
  type DispatchRuleInputs,
  inboundTrunkProvider,
  type InboundTrunkInputs,
  outboundTrunkProvider,
  type OutboundTrunkInputs,
} from "../../../providers/livekit";
import { type LivekitStack, startLivekitStack } from "../../harness/voice-stack";
import { configureLivekitProviders } from "../../harness/livekit-providers";
import { createChecked } from "./provider-steps";

jest.setTimeout(60_000);

let stack: LivekitStack;
let sip: SipClient;

beforeAll(async () => {
  stack = await startLivekitStack();
  await configureLivekitProviders(stack.livekit);
  sip = new SipClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
}, 90_000);
afterAll(() => stack?.stop());

function outbound(): OutboundTrunkInputs {
  return {
    url: stack.livekit.url,
    name: "lost-outbound",
    address: "agent-studio-test.pstn.twilio.com",
    numbers: ["+15005550006"],
    transport: "udp",
    authUsername: "livekit-test",
    authPassword: "Sip-Passw0rd-One",
    headers: {},
  };
}

function inbound(): InboundTrunkInputs {
  return { url: stack.livekit.url, name: "lost-inbound", numbers: ["+15005550006"], allowedAddresses: ["54.172.60.0/30"] };
}

function rule(inboundTrunkId: string): DispatchRuleInputs {
  return { url: stack.livekit.url, name: "lost-calls", trunkIds: [inboundTrunkId], roomPrefix: "call-", agentName: "agent-studio" };
}

describe("LiveKit SIP resources after Redis lost its data", () => {
  it("refresh reads each trunk and the rule as gone, and the next up creates them again under new IDs", () =>
    stack.withLogs(async () => {
      const outboundTrunk = await createChecked(outboundTrunkProvider, outbound());
      const inboundTrunk = await createChecked(inboundTrunkProvider, inbound());
      const dispatchRule = await createChecked(dispatchRuleProvider, rule(inboundTrunk.id));
      // Present before: what refresh keeps in state.
      expect((await outboundTrunkProvider.read(outboundTrunk.id, outboundTrunk.outs)).id).toBe(outboundTrunk.id);

      // A new disk: Redis comes back empty.
      await stack.redis.command("FLUSHALL");
      await stack.redis.restart();

      // `pulumi refresh`: no resource read back, so each leaves the state.
      expect(await outboundTrunkProvider.read(outboundTrunk.id, outboundTrunk.outs)).toEqual({});
      expect(await inboundTrunkProvider.read(inboundTrunk.id, inboundTrunk.outs)).toEqual({});
      expect(await dispatchRuleProvider.read(dispatchRule.id, dispatchRule.outs)).toEqual({});

      // `pulumi up`: created again, each under a new ID; the rule names the new inbound trunk.
      const outboundAgain = await createChecked(outboundTrunkProvider, outbound());
      const inboundAgain = await createChecked(inboundTrunkProvider, inbound());
      const ruleAgain = await createChecked(dispatchRuleProvider, rule(inboundAgain.id));
      expect(outboundAgain.id).not.toBe(outboundTrunk.id);
      expect(inboundAgain.id).not.toBe(inboundTrunk.id);
      expect(ruleAgain.id).not.toBe(dispatchRule.id);
      expect((await sip.listSipOutboundTrunk()).map((t) => t.sipTrunkId)).toEqual([outboundAgain.id]);
      expect((await sip.listSipInboundTrunk()).map((t) => t.sipTrunkId)).toEqual([inboundAgain.id]);
      expect((await sip.listSipDispatchRule()).map((r) => [r.sipDispatchRuleId, r.trunkIds])).toEqual([[ruleAgain.id, [inboundAgain.id]]]);
    }));
});
