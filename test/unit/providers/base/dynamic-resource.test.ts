import * as pulumi from "@pulumi/pulumi";
import { MockRegistry, isSecretOutput, promiseOf } from "../../../utils/pulumi-mocks";

const registry = new MockRegistry({ computed: { "pulumi-nodejs:dynamic/demo:Gadget": () => ({ sid: "GD1" }) } });

beforeAll(() => pulumi.runtime.setMocks(registry, "proj", "test", false));

describe("dynamicResourceClass", () => {
  it("registers a distinct type token and exposes every output, secrets kept secret", async () => {
    const { dynamicResourceClass, defineProvider } = await import("../../../../providers/base");
    const provider = defineProvider<undefined, { name: string; token: string }, { sid: string }>({
      kind: "Gadget",
      connect: () => undefined,
      secrets: (_s, props) => [props.token],
      describe: (props) => `"${props.name}"`,
      diffPolicy: { replaceOn: ["name"], updateInPlace: ["token"] },
      create: async () => ({ id: "GD1", computed: { sid: "GD1" } }),
      read: async () => undefined,
      delete: async () => undefined,
    });
    const Gadget = dynamicResourceClass<{ name: string; token: string }, { name: string; token: string; sid: string }>({
      module: "demo",
      type: "Gadget",
      provider,
      outputs: ["name", "token", "sid"],
      secretOutputs: ["token"],
    });
    expect(Gadget.typeToken).toBe("pulumi-nodejs:dynamic/demo:Gadget");
    const gadget = new Gadget("g", { name: "one", token: pulumi.secret("t0ken") });
    expect(await promiseOf(gadget.sid)).toBe("GD1");
    expect(await promiseOf(gadget.name)).toBe("one");
    expect(await isSecretOutput(gadget.token)).toBe(true);
    const recorded = registry.byName("g");
    expect(recorded.type).toBe("pulumi-nodejs:dynamic/demo:Gadget");
    expect(recorded.inputs.name).toBe("one");
  });
});
