import * as pulumi from "@pulumi/pulumi";
import { MockRegistry, promiseOf, setRegistryMocks } from "../../../utils/pulumi-mocks";

const registry = new MockRegistry();

// Declaring a dynamic resource serializes its provider's closure, which takes a few seconds in jest.
jest.setTimeout(60_000);

beforeAll(() => setRegistryMocks(registry));

/** Valid arguments as index.ts passes them: URL from the domain, credentials from the Twilio component. */
function validArgs() {
  return {
    url: "https://voice.example.com",
    outbound: {
      address: "agent-studio-test.pstn.twilio.com",
      numbers: ["+15005550006"],
      authUsername: pulumi.output("livekit-test"),
      authPassword: pulumi.output("Sip-Passw0rd-Test"),
    },
    inbound: { numbers: ["+15005550006"], allowedAddresses: ["54.172.60.0/30", "54.244.51.0/30"] },
    dispatch: { agentName: "agent-studio" },
  };
}

/** Builds the component; `children` receives every resource it declares (transformations run at declaration). */
async function construct(args = validArgs(), dependsOn?: pulumi.Resource[], children: pulumi.ResourceTransformationArgs[] = []) {
  const { LiveKitSipTrunks } = await import("../../../../components/livekit-sip-trunks");
  const component = new LiveKitSipTrunks("voice", { ...args, dependsOn }, {
    transformations: [(child) => (children.push(child), undefined)],
  });
  return { component, children };
}

describe("LiveKitSipTrunks", () => {
  it("creates the outbound trunk, the inbound trunk and a dispatch rule bound to the inbound trunk", async () => {
    const { component } = await construct();
    expect(await promiseOf(component.outboundTrunkId)).toBe("voice-outbound-trunk-id");
    expect(await promiseOf(component.inboundTrunkId)).toBe("voice-inbound-trunk-id");
    expect(await promiseOf(component.dispatchRuleId)).toBe("voice-dispatch-rule-id");

    expect(registry.byName("voice").type).toBe("agent-studio:livekit:LiveKitSipTrunks");
    const outbound = registry.byName("voice-outbound-trunk");
    expect(outbound.type).toBe("pulumi-nodejs:dynamic/livekit:SipOutboundTrunk");
    expect(outbound.inputs).toMatchObject({
      url: "https://voice.example.com",
      name: "voice-outbound",
      address: "agent-studio-test.pstn.twilio.com",
      numbers: ["+15005550006"],
      transport: "auto",
      authUsername: "livekit-test",
      authPassword: "Sip-Passw0rd-Test",
      headers: {},
    });
    const inbound = registry.byName("voice-inbound-trunk");
    expect(inbound.type).toBe("pulumi-nodejs:dynamic/livekit:SipInboundTrunk");
    expect(inbound.inputs).toMatchObject({ numbers: ["+15005550006"], allowedAddresses: ["54.172.60.0/30", "54.244.51.0/30"] });
    const rule = registry.byName("voice-dispatch-rule");
    expect(rule.type).toBe("pulumi-nodejs:dynamic/livekit:SipDispatchRule");
    expect(rule.inputs).toMatchObject({ trunkIds: ["voice-inbound-trunk-id"], roomPrefix: "call-", agentName: "agent-studio" });
    // Without agentsByNumber the one rule takes calls to every number, as before the key existed.
    expect(rule.inputs.numbers).toBeUndefined();
    expect(await promiseOf(component.numberDispatchRuleIds)).toEqual({});
  });

  it("adds one rule per routed number, on the same inbound trunk, beside the unchanged every-number rule", async () => {
    const args = validArgs();
    const routed = {
      ...args,
      inbound: { ...args.inbound, numbers: ["+15005550006", "+15005550007", "+15005550008"] },
      dispatch: { agentName: "agent-studio", agentsByNumber: { "+15005550007": "sales-agent", "+15005550008": pulumi.output("support-agent") } },
    };
    const { component, children } = await construct(routed);
    expect(await promiseOf(component.numberDispatchRuleIds)).toEqual({
      "+15005550007": "voice-dispatch-rule-15005550007-id",
      "+15005550008": "voice-dispatch-rule-15005550008-id",
    });
    const rules = children.filter((child) => child.type === "pulumi-nodejs:dynamic/livekit:SipDispatchRule").map((child) => child.name);
    expect(rules).toEqual(["voice-dispatch-rule", "voice-dispatch-rule-15005550007", "voice-dispatch-rule-15005550008"]);
    expect(registry.byName("voice-dispatch-rule").inputs).toMatchObject({ name: "voice-inbound-calls", agentName: "agent-studio" });
    expect(registry.byName("voice-dispatch-rule").inputs.numbers).toBeUndefined();
    expect(registry.byName("voice-dispatch-rule-15005550007").inputs).toMatchObject({
      name: "voice-inbound-calls-+15005550007",
      trunkIds: ["voice-inbound-trunk-id"],
      roomPrefix: "call-",
      agentName: "sales-agent",
      numbers: ["+15005550007"],
    });
    expect(registry.byName("voice-dispatch-rule-15005550008").inputs).toMatchObject({ agentName: "support-agent", numbers: ["+15005550008"] });
  });

  it("keeps the trunk password secret even when given in clear, and waits for what it depends on", async () => {
    const gate = new (class HealthCheck extends pulumi.CustomResource {})("test:index:HealthCheck", "gate", {});
    const args = validArgs();
    const { children } = await construct({ ...args, outbound: { ...args.outbound, authPassword: "Clear-Passw0rd" as never } }, [gate]);
    const outbound = children.find((child) => child.name === "voice-outbound-trunk");
    expect(await pulumi.isSecret(outbound?.props.authPassword)).toBe(true);
    expect((outbound?.opts as pulumi.CustomResourceOptions).additionalSecretOutputs).toContain("authPassword");
    const dynamicChildren = children.filter((child) => child.type.startsWith("pulumi-nodejs:dynamic/livekit:"));
    expect(dynamicChildren).toHaveLength(3);
    for (const child of dynamicChildren) {
      expect(child.opts.dependsOn).toHaveLength(1);
      expect((child.opts.dependsOn as pulumi.Resource[])[0]).toBe(gate);
    }
  });

  it("stops with every bad argument named before any resource is declared", async () => {
    const args = validArgs();
    const bad = {
      ...args,
      url: "http://voice.example.com",
      outbound: { ...args.outbound, numbers: ["5005550006"], address: "sip:agent-studio-test.pstn.twilio.com" },
      dispatch: { agentName: "agent studio" },
    };
    const declared: pulumi.ResourceTransformationArgs[] = [];
    await expect(construct(bad, undefined, declared)).rejects.toThrow(
      /invalid arguments:\n {2}outbound\.url: .*\n {2}outbound\.address: .*\n {2}outbound\.numbers\[0\]: got "5005550006".*\n {2}inbound\.url: .*\n {2}dispatch\.url: .*\n {2}dispatch\.agentName: got "agent studio"/,
    );
    expect(declared.map((child) => child.type)).toEqual(["agent-studio:livekit:LiveKitSipTrunks"]);
  });

  it("names the number of a bad route", async () => {
    const args = validArgs();
    const bad = { ...args, dispatch: { agentName: "agent-studio", agentsByNumber: { "5005550007": "sales-agent", "+15005550008": "sales agent" } } };
    await expect(construct(bad)).rejects.toThrow(
      /\n {2}dispatch\.agentsByNumber\["5005550007"\]: numbers\[0\]: got "5005550007"; expected an E\.164 phone number.*\n {2}dispatch\.agentsByNumber\["\+15005550008"\]: agentName: got "sales agent"/,
    );
  });
});
