/**
 * Drives the whole Twilio trunk graph through the providers, in the order the component
 * declares it, for the integration tests.
 */
import { staticProviderConfig } from "../../../providers/base";
import {
  credentialListProvider,
  credentialProvider,
  ipAccessControlListProvider,
  originationUrlProvider,
  trunkCredentialListProvider,
  trunkIpAccessControlListProvider,
  trunkPhoneNumberProvider,
  trunkProvider,
} from "../../../providers/twilio";
import type { FakeTwilio } from "../../harness/twilio-fake";
import { applyResource, type ApplyAction, type ResourceState } from "../../utils/dynamic-provider-engine";

/** The stack's project name, which namespaces config keys. */
export const PROJECT = "agent-studio-voice";

/** Every Twilio provider, in dependency order. */
export const twilioProviders = {
  trunk: trunkProvider,
  credentialList: credentialListProvider,
  credential: credentialProvider,
  trunkCredentialList: trunkCredentialListProvider,
  originationUrl: originationUrlProvider,
  phoneNumber: trunkPhoneNumberProvider,
  ipAccessControlList: ipAccessControlListProvider,
  trunkIpAccessControlList: trunkIpAccessControlListProvider,
};

/** Runs every provider's `configure` with stack config pointing at the fake. */
export async function configureAll(fake: FakeTwilio, auth: "authToken" | "apiKey" = "authToken"): Promise<void> {
  const config = staticProviderConfig(fake.stackConfig(PROJECT, auth), PROJECT);
  for (const provider of Object.values(twilioProviders)) await provider.configure({ config });
}

/** What the operator configures. */
export interface GraphSpec {
  domainName: string;
  username: string;
  password: string;
  originationHost: string;
  phoneNumber: string;
  cidrs: string[];
}

type AnyState = ResourceState<any, any>;

/** State of every resource in the graph. */
export type GraphState = Record<keyof typeof twilioProviders, AnyState>;

/** What applying the graph did to each resource. */
export type GraphActions = Record<keyof typeof twilioProviders, ApplyAction>;

/** The providers a graph run uses (the modules' own, or revived serialized copies). */
export type ProviderSet = { [K in keyof typeof twilioProviders]: Pick<(typeof twilioProviders)[K], "check" | "diff" | "create" | "update" | "delete"> };

/** Applies the graph for `spec` on top of `prior` (undefined = fresh stack). */
export async function applyGraph(
  spec: GraphSpec,
  prior?: GraphState,
  providers: ProviderSet = twilioProviders,
): Promise<{ state: GraphState; actions: GraphActions }> {
  const state = {} as GraphState;
  const actions = {} as GraphActions;
  const step = async (key: keyof typeof twilioProviders, inputs: object) => {
    const result = await applyResource(providers[key] as any, prior?.[key], inputs);
    state[key] = result.state;
    actions[key] = result.action;
    return result.state.outputs;
  };
  const trunk = await step("trunk", {
    friendlyName: "agent-studio test",
    domainName: spec.domainName,
    secure: false,
    cnamLookupEnabled: false,
    transferMode: "disable-all",
  });
  const list = await step("credentialList", { friendlyName: "agent-studio livekit" });
  await step("credential", { credentialListSid: list.sid, username: spec.username, password: spec.password });
  await step("trunkCredentialList", { trunkSid: trunk.sid, listSid: list.sid });
  await step("originationUrl", {
    trunkSid: trunk.sid,
    friendlyName: "livekit-sip 0",
    sipUrl: `sip:${spec.originationHost}:5060`,
    priority: 10,
    weight: 10,
    enabled: true,
  });
  await step("phoneNumber", { trunkSid: trunk.sid, phoneNumber: spec.phoneNumber });
  const acl = await step("ipAccessControlList", { friendlyName: "agent-studio sources", cidrs: spec.cidrs });
  await step("trunkIpAccessControlList", { trunkSid: trunk.sid, listSid: acl.sid });
  return { state, actions };
}

/** Deletes the graph in reverse dependency order, as `pulumi destroy` would. */
export async function destroyGraph(state: GraphState, providers: ProviderSet = twilioProviders): Promise<void> {
  const order = Object.keys(providers).reverse() as (keyof typeof twilioProviders)[];
  for (const key of order) await providers[key].delete(state[key].id, state[key].outputs as never);
}
