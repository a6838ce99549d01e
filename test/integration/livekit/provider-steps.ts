/**
 * Drives a dynamic provider the way the Pulumi engine does (check → create, refresh → check →
 * diff → update), so the integration tests exercise the same call sequence as `pulumi up`.
 */
import type { DefinedProvider } from "../../../providers/base";
import type { OutboundTrunkInputs } from "../../../providers/livekit";
import { SipClient } from "livekit-server-sdk";
import { configureLivekitProviders } from "../../harness/livekit-providers";
import { type LivekitStack, startLivekitStack } from "../../harness/voice-stack";

/** Redis and livekit-server from the harness, the three LiveKit providers configured against them, and a SipClient to look at what they stored. */
export async function startProviderStack(): Promise<{ stack: LivekitStack; sip: SipClient }> {
  const stack = await startLivekitStack();
  await configureLivekitProviders(stack.livekit);
  return { stack, sip: new SipClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret) };
}

/** An outbound trunk to a Twilio-like termination domain with digest credentials, on the harness server at `url`. */
export function sampleOutboundTrunk(url: string, name: string, overrides: Partial<OutboundTrunkInputs> = {}): OutboundTrunkInputs {
  return {
    url,
    name,
    address: "agent-studio-test.pstn.twilio.com",
    numbers: ["+15005550006"],
    transport: "udp",
    authUsername: "livekit-test",
    authPassword: "Sip-Passw0rd-One",
    headers: {},
    ...overrides,
  };
}

/** `check` then `create`; fails the test on check failures. */
export async function createChecked<I extends object>(provider: DefinedProvider<I, I>, inputs: I): Promise<{ id: string; outs: I }> {
  const checked = await provider.check({} as I, inputs);
  expect(checked.failures).toEqual([]);
  return provider.create(checked.inputs as I);
}

/** A second `pulumi up` with `inputs`: refresh the state, check, diff; updates when the diff says so. */
export async function upAgain<I extends object>(provider: DefinedProvider<I, I>, id: string, state: I, inputs: I) {
  const refreshed = await provider.read(id, state);
  const live = (refreshed.props ?? state) as I;
  const checked = await provider.check(live, inputs);
  expect(checked.failures).toEqual([]);
  const diff = await provider.diff(id, live, checked.inputs as I);
  const updated = diff.changes ? await provider.update(id, live, checked.inputs as I) : undefined;
  return { refreshed, diff, outs: updated?.outs ?? live };
}
