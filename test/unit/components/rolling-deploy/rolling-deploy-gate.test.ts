import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { MockRegistry, promiseOf, setRegistryMocks } from "../../../utils/pulumi-mocks";
import { registrationsSettled } from "../../../utils/pulumi-settle";

const registry = new MockRegistry();

// Declaring a dynamic resource serializes its provider's closure, which takes a few seconds in jest.
jest.setTimeout(60_000);

beforeAll(() => setRegistryMocks(registry));

afterEach(() => registrationsSettled());

const connection = { host: "203.0.113.10", user: "deploy", privateKey: "key" };

/** Declares one node's gate the way the program chains them; `children` receives every resource it declares. */
async function gate(name: string, extra: { before?: pulumi.Resource[]; nodeCount?: number; triggers?: string[] } = {}, children: pulumi.ResourceTransformationArgs[] = []) {
  const { RollingDeployGate } = await import("../../../../components/rolling-deploy");
  let update: command.remote.Command | undefined;
  const component = new RollingDeployGate(
    name,
    {
      nodeName: name,
      nodeCount: extra.nodeCount ?? 2,
      before: extra.before,
      trunkSid: "TK0001",
      originationUrlSid: `OU-${name}`,
      connection,
      triggers: extra.triggers ?? ["sip-yaml-hash", "livekit-yaml-hash"],
      maxCallMinutes: 30,
      update: (drained) => [(update = new command.remote.Command(`${name}-sip-yaml`, { connection, create: "true" }, { dependsOn: [drained] }))],
    },
    // Transformations see the component itself first; `children` keeps what it declares.
    { transformations: [(child) => (child.name !== name && children.push(child), undefined)] },
  );
  return { component, children, update: update as command.remote.Command };
}

const childNamed = (children: pulumi.ResourceTransformationArgs[], name: string) => {
  const child = children.find((c) => c.name === name);
  if (!child) throw new Error(`no child ${name} among ${children.map((c) => c.name).join(", ")}`);
  return child;
};

describe("RollingDeployGate", () => {
  it("chains disable URL → drain → the node's update → health → enable URL, and the next node after the previous one's enable", async () => {
    const first = await gate("node-0");
    const second = await gate("node-1", { before: [first.component.done] });
    const c = second.children;
    expect(c.map((child) => child.name)).toEqual(["node-1-disable-url", "node-1-drain", "node-1-health", "node-1-enable-url"]);
    expect(childNamed(c, "node-1-disable-url").opts.dependsOn).toEqual([first.component.done]);
    expect(childNamed(c, "node-1-drain").opts.dependsOn).toEqual([childNamed(c, "node-1-disable-url").resource]);
    expect(second.component.drained).toBe(childNamed(c, "node-1-drain").resource);
    expect(childNamed(c, "node-1-health").opts.dependsOn).toEqual([second.component.drained, second.update]);
    expect(childNamed(c, "node-1-enable-url").opts.dependsOn).toEqual([childNamed(c, "node-1-health").resource]);
    expect(second.component.done).toBe(childNamed(c, "node-1-enable-url").resource);
    // The first node of the roll waits for nothing.
    expect(childNamed(first.children, "node-0-disable-url").opts.dependsOn).toEqual([]);
  });

  it("switches the node's own URL off and on under one revision, and runs the host script with the on-call message on failure", async () => {
    const { component } = await gate("node-2");
    await registrationsSettled();
    const revision = await promiseOf(component.revision);
    expect(revision).toMatch(/^[0-9a-f]{64}$/);
    expect(registry.byName("node-2-disable-url").inputs).toMatchObject({ trunkSid: "TK0001", originationUrlSid: "OU-node-2", enabled: false, revision });
    expect(registry.byName("node-2-enable-url").inputs).toMatchObject({ trunkSid: "TK0001", originationUrlSid: "OU-node-2", enabled: true, revision });
    const drain = registry.byName("node-2-drain").inputs;
    expect(drain.create).toMatch(new RegExp(`^sudo sh -s -- drain '${revision}' \\|\\| \\{ echo 'rolling deploy stopped at node-2 \\(step drain\\)`));
    expect(drain.create).toContain("https://trunking.twilio.com/v1/Trunks/TK0001/OriginationUrls/OU-node-2");
    const { renderSipDrainScript } = await import("../../../../components/rolling-deploy");
    expect(drain.stdin).toBe(renderSipDrainScript({ maxCallMinutes: 30 }));
    expect(drain.triggers).toEqual([revision]);
    expect(registry.byName("node-2-health").inputs.create).toMatch(new RegExp(`^sudo sh -s -- resume '${revision}' \\|\\| `));
  });

  it("gives a changed trigger a new revision, and the same triggers the same one", async () => {
    const a = await gate("node-3", { triggers: ["h1", "h2"] });
    const b = await gate("node-4", { triggers: ["h1", "h2"] });
    const c = await gate("node-5", { triggers: ["h1", "h3"] });
    const [ra, rb, rc] = await Promise.all([a, b, c].map((g) => promiseOf(g.component.revision)));
    expect(ra).toBe(rb);
    expect(rc).not.toBe(ra);
  });

  it("refuses a single node: disabling its only URL would refuse every inbound call", async () => {
    const children: pulumi.ResourceTransformationArgs[] = [];
    await expect(gate("solo", { nodeCount: 1 }, children)).rejects.toThrow(
      "nodeCount is 1: a rolling deploy gate needs at least 2 nodes (with one, disabling its origination URL would refuse every inbound call); declare no gate for a single node",
    );
    expect(children).toEqual([]);
  });
});
