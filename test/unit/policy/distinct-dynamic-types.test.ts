import * as pulumi from "@pulumi/pulumi";
import { defineProvider, dynamicResourceClass } from "../../../providers/base";
import { genericDynamicType, validateDistinctDynamicTypes } from "../../../policy/distinct-dynamic-types";
import { fromRecorded, resourceViolations } from "../../utils/policy-args";
import { MockRegistry, promiseOf } from "../../utils/pulumi-mocks";

const registry = new MockRegistry();
beforeAll(() => pulumi.runtime.setMocks(registry, "agent-studio-voice", "prod", false));

const provider = defineProvider<undefined, { name: string }, object>({
  kind: "Widget",
  connect: () => undefined,
  secrets: () => [],
  describe: (props) => `"${props.name}"`,
  diffPolicy: { replaceOn: ["name"], updateInPlace: [] },
  create: async () => ({ id: "w1", computed: {} }),
  read: async () => undefined,
  delete: async () => undefined,
});

describe("policy distinct-dynamic-types", () => {
  it("passes a resource built on providers/base, whose own token the mock monitor records", async () => {
    const Widget = dynamicResourceClass<{ name: string }, { name: string }>({ module: "demo", type: "Widget", provider, outputs: ["name"] });
    await promiseOf(new Widget("typed", { name: "one" }).urn);
    const recorded = registry.byName("typed");
    expect(recorded.type).toBe("pulumi-nodejs:dynamic/demo:Widget");
    expect(await resourceViolations(validateDistinctDynamicTypes, fromRecorded(recorded))).toEqual([]);
  });

  it("flags a dynamic resource registered without a module and type", async () => {
    // What a provider gets when its class calls dynamic.Resource's constructor without module and type.
    class Untyped extends pulumi.dynamic.Resource {}
    await promiseOf(new Untyped(provider, "untyped", { name: "two" }).urn);
    const recorded = registry.byName("untyped");
    expect(recorded.type).toBe(genericDynamicType);
    expect(await resourceViolations(validateDistinctDynamicTypes, fromRecorded(recorded))).toEqual([
      expect.stringContaining("Dynamic resource untyped has the generic type pulumi-nodejs:dynamic:Resource"),
    ]);
  });
});
