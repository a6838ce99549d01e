/**
 * The program with several nodes (`nodes` ≥ 2), as `pulumi up` (update) and `pulumi preview` run it:
 * one VM, static IP, set of files and worker per node, one Memorystore instance, one load balancer,
 * one origination URL per node; `nodes: 1` is the single host as it always was; adding a node
 * touches no resource of the nodes that exist.
 */
import { parse } from "yaml";
import { alertRules } from "../../../components/observability";
import { freshStackPreview, mockLoadBalancerIp, mockNodeIp, mockRedisAuthString, type PreviewPlan } from "../../../scripts/plan/mock-monitor";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { commandType, runProgram, stackConfig } from "../../utils/offline-program";
import type { RecordedResource } from "../../utils/pulumi-mocks";

const nodes = (count: number, extra: Record<string, string> = {}) => stackConfig("prod", { "agent-studio-voice:nodes": String(count), ...extra });
const firewallType = "gcp:compute/firewall:Firewall";
const instanceType = "gcp:compute/instance:Instance";
const originationType = "pulumi-nodejs:dynamic/twilio:OriginationUrl";

/** Every resource as name → type and inputs (provider code of dynamic resources left out). */
function plan(run: OfflineRun): Map<string, { type: string; inputs: Record<string, unknown> }> {
  return new Map(
    run.monitor.resources.map((r) => {
      const { __provider: _provider, ...inputs } = r.inputs;
      return [r.name, { type: r.type, inputs }];
    }),
  );
}

function covers(rule: RecordedResource, port: number): boolean {
  return rule.inputs.allows.some((a: { ports: string[] }) =>
    a.ports.some((p) => {
      const [start, end = start] = p.split("-").map(Number);
      return port >= start && port <= end;
    }),
  );
}

describe("nodes: 1", () => {
  it("plans exactly the single host whether nodes is unset or 1, whatever zones say", async () => {
    const unset = await runProgram(stackConfig("prod"));
    const one = await runProgram(nodes(1, { "agent-studio-voice:zones": '["us-central1-a", "us-central1-b"]' }));
    expect(plan(one)).toEqual(plan(unset));
    expect(unset.monitor.ofType("gcp:redis/instance:Instance")).toEqual([]);
    expect(unset.monitor.ofType("gcp:compute/globalForwardingRule:GlobalForwardingRule")).toEqual([]);
    expect(unset.monitor.byName("voice-deploy-compose").inputs.stdin).toMatch(/^ {2}redis:$/m);
    expect(unset.outputs.nodes).toEqual({ count: 1, zones: ["us-central1-a"], staticIps: [mockNodeIp(0)], sipUris: ["sip:sip.voice.agentstudio.example.com:5061;transport=tls"] });
  }, 120_000);
});

describe.each([
  ["update", undefined],
  ["preview of a new stack", freshStackPreview],
] as const)("nodes: 3 (%s)", (_mode, preview) => {
  let run: OfflineRun;
  const update = preview === undefined;
  beforeAll(async () => (run = await runProgram(nodes(3), "prod", preview === undefined ? {} : { preview })), 120_000);

  it("runs three VMs, one per zone of the region, each with its own static IP and service account", () => {
    const vms = run.monitor.ofType(instanceType);
    expect(vms.map((vm) => [vm.name, vm.inputs.zone])).toEqual([
      ["voice-host-vm", "us-central1-a"],
      ["voice-host-1-vm", "us-central1-b"],
      ["voice-host-2-vm", "us-central1-c"],
    ]);
    expect(run.monitor.ofType("gcp:compute/address:Address").map((a) => a.name)).toEqual(["voice-net-ip", "voice-net-ip-1", "voice-net-ip-2"]);
    expect(run.monitor.ofType("gcp:serviceaccount/account:Account").map((a) => a.inputs.accountId)).toEqual(["voice-host-prod", "voice-host-prod-1", "voice-host-prod-2"]);
    if (update) expect(vms.map((vm) => vm.inputs.networkInterfaces[0].accessConfigs[0].natIp)).toEqual([0, 1, 2].map(mockNodeIp));
  });

  it("shares one Memorystore instance: Standard tier with a replica, AUTH on, on the stack's VPC, no in-transit TLS", () => {
    const instances = run.monitor.ofType("gcp:redis/instance:Instance");
    expect(instances).toHaveLength(1);
    expect(instances[0].inputs).toMatchObject({
      tier: "STANDARD_HA",
      authEnabled: true,
      connectMode: "DIRECT_PEERING",
      transitEncryptionMode: "DISABLED",
      region: "us-central1",
      locationId: "us-central1-a",
      alternativeLocationId: "us-central1-b",
    });
    if (update) expect(instances[0].inputs.authorizedNetwork).toBe("voice-net-vpc-id");
  });

  it("gives Twilio one enabled origination URL per node, equal priority and weight, to each node's own SIP host", () => {
    const urls = run.monitor.ofType(originationType);
    expect(urls.map((u) => [u.inputs.sipUrl, u.inputs.priority, u.inputs.weight, u.inputs.enabled])).toEqual([
      ["sip:sip.voice.agentstudio.example.com:5061;transport=tls", 10, 10, true],
      ["sip:sip-1.voice.agentstudio.example.com:5061;transport=tls", 10, 10, true],
      ["sip:sip-2.voice.agentstudio.example.com:5061;transport=tls", 10, 10, true],
    ]);
  });

  it("puts the nodes behind one HTTPS load balancer with a managed certificate, a day-long backend timeout and a drain-aware health check", () => {
    const one = (type: string) => {
      const found = run.monitor.ofType(type);
      expect(found).toHaveLength(1);
      return found[0].inputs;
    };
    expect(one("gcp:compute/managedSslCertificate:ManagedSslCertificate").managed).toEqual({ domains: ["voice.agentstudio.example.com"] });
    expect(one("gcp:compute/healthCheck:HealthCheck").httpHealthCheck).toEqual({ port: 7890, requestPath: "/lb-health" });
    const groups = run.monitor.ofType("gcp:compute/instanceGroup:InstanceGroup");
    expect(groups.map((g) => [g.inputs.zone, g.inputs.namedPorts])).toEqual(
      ["a", "b", "c"].map((zone) => [`us-central1-${zone}`, [{ name: "livekit", port: 7890 }]]),
    );
    const backend = one("gcp:compute/backendService:BackendService");
    expect(backend).toMatchObject({ protocol: "HTTP", portName: "livekit", timeoutSec: 86400, loadBalancingScheme: "EXTERNAL_MANAGED" });
    expect(backend.backends).toHaveLength(3);
    one("gcp:compute/uRLMap:URLMap");
    one("gcp:compute/targetHttpsProxy:TargetHttpsProxy");
    expect(one("gcp:compute/globalForwardingRule:GlobalForwardingRule")).toMatchObject({ portRange: "443", loadBalancingScheme: "EXTERNAL_MANAGED" });
    if (update) {
      expect(run.monitor.byName("voice-dns-signaling").inputs.rrdatas).toEqual([mockLoadBalancerIp]);
      expect(run.outputs.nodes).toHaveProperty("loadBalancerIp", mockLoadBalancerIp);
    }
  });

  it("opens no firewall rule on the API or backend port to the internet: the backend port to the load balancer's ranges only", () => {
    const rules = run.monitor.ofType(firewallType);
    for (const port of [7880, 7890, 6379]) {
      expect(rules.filter((r) => covers(r, port) && r.inputs.sourceRanges.includes("0.0.0.0/0")).map((r) => r.name)).toEqual([]);
    }
    expect(rules.filter((r) => covers(r, 7890)).map((r) => [r.name, r.inputs.sourceRanges])).toEqual([["voice-net-lb-backend", ["35.191.0.0/16", "130.211.0.0/22"]]]);
    expect(rules.filter((r) => covers(r, 7880))).toEqual([]);
  });

  it("deploys each node's own files and worker, none running a Redis of its own", () => {
    const steps = run.monitor.ofType(commandType).map((s) => s.name);
    for (const prefix of ["voice-deploy", "voice-deploy-1", "voice-deploy-2"]) {
      expect(steps).toEqual(expect.arrayContaining([`${prefix}-compose`, `${prefix}-sip`, `${prefix}-livekit`, `${prefix}-caddy`, `${prefix}-wait-tls`]));
      expect(steps).not.toContain(`${prefix}-redis`);
    }
    expect(steps).toEqual(expect.arrayContaining(["voice-worker-deploy", "voice-worker-1-deploy", "voice-worker-2-deploy"]));
    expect(run.monitor.ofType("pulumi-nodejs:dynamic/livekit:SipInboundTrunk")).toHaveLength(1);
    if (!update) return;
    [0, 1, 2].forEach((node) => {
      const prefix = node === 0 ? "voice-deploy" : `voice-deploy-${node}`;
      const compose = parse(run.monitor.byName(`${prefix}-compose`).inputs.stdin as string);
      expect(Object.keys(compose.services)).not.toContain("redis");
      const livekit = parse(run.monitor.byName(`${prefix}-livekit`).inputs.stdin as string);
      expect(livekit.rtc).toMatchObject({ node_ip: mockNodeIp(node), use_external_ip: false });
      expect(livekit.redis).toEqual({ address: "10.30.0.4:6379" });
      const sipStep = run.monitor.byName(`${prefix}-sip`);
      expect(sipStep.secretInputs).toContain("stdin");
      const sip = parse(sipStep.inputs.stdin as string);
      expect(sip).toMatchObject({ nat_1_to_1_ip: mockNodeIp(node), redis: { address: "10.30.0.4:6379", password: mockRedisAuthString } });
      expect(sip.sip_hostname).toBe(node === 0 ? "sip.voice.agentstudio.example.com" : `sip-${node}.voice.agentstudio.example.com`);
      const keys = run.monitor.byName(`${prefix}-livekitKeys`);
      expect(keys.secretInputs).toContain("stdin");
      expect(keys.inputs.stdin).toContain(`REDIS_PASSWORD=${mockRedisAuthString}`);
      expect(run.monitor.byName(`${prefix}-caddy`).inputs.stdin).toMatch(/^http:\/\/:7890 \{$/m);
      expect(run.monitor.byName(`${prefix}-wait-tls`).inputs.create).toContain("https://voice.agentstudio.example.com/");
    });
    expect(run.outputs.nodes).toMatchObject({ count: 3, staticIps: [0, 1, 2].map(mockNodeIp) });
    expect(run.outputs.nodes).toHaveProperty(
      "sipUris",
      [0, 1, 2].map((node) => `sip:${node === 0 ? "sip" : `sip-${node}`}.voice.agentstudio.example.com:5061;transport=tls`),
    );
  });
});

describe("a change with several nodes", () => {
  it("reaches the nodes one at a time: each node's turn follows the previous node's URL switched back on, and its deploy steps follow its drain", async () => {
    const run = await runProgram(nodes(3));
    const waitsFor = (name: string) => run.dependsOn.get(name) ?? [];
    const roll = (node: number) => (node === 0 ? "voice-roll" : `voice-roll-${node}`);
    const deploy = (node: number) => (node === 0 ? "voice-deploy" : `voice-deploy-${node}`);
    const vm = (node: number) => (node === 0 ? "voice-host-vm" : `voice-host-${node}-vm`);
    const sids = new Set<unknown>();
    for (const node of [0, 1, 2]) {
      const disable = run.monitor.byName(`${roll(node)}-disable-url`).inputs;
      expect(disable).toMatchObject({ enabled: false, originationUrlSid: expect.any(String) });
      expect(run.monitor.byName(`${roll(node)}-enable-url`).inputs).toMatchObject({ enabled: true, originationUrlSid: disable.originationUrlSid });
      sids.add(disable.originationUrlSid);
      expect(waitsFor(`${roll(node)}-disable-url`)).toEqual(node === 0 ? [vm(0)] : [vm(node), `${roll(node - 1)}-enable-url`]);
      expect(waitsFor(`${roll(node)}-drain`)).toEqual([`${roll(node)}-disable-url`]);
      expect(waitsFor(`${deploy(node)}-wait-dns`)).toContain(`${roll(node)}-drain`);
      expect(waitsFor(`${roll(node)}-health`)).toEqual([`${roll(node)}-drain`, `${deploy(node)}-compose`]);
      expect(waitsFor(`${roll(node)}-enable-url`)).toEqual([`${roll(node)}-health`]);
      // A change to the VM itself (a new machine type stops it) waits for the previous node's
      // turn, and runs this node's turn again, so the next VM waits until this node is healthy.
      expect(waitsFor(vm(node)).filter((name) => name.startsWith("voice-roll"))).toEqual(node === 0 ? [] : [`${roll(node - 1)}-enable-url`]);
      // The wait through the load balancer, which names every node's VM, is outside the node's turn.
      expect(waitsFor(`${deploy(node)}-wait-tls`)).toEqual([`${deploy(node)}-compose`, "voice-lb"]);
      expect(waitsFor(`${deploy(node)}-wait-dns`)).not.toContain("voice-lb");
    }
    // Each node switches its own origination URL.
    expect(sids.size).toBe(3);
  }, 120_000);

  it("runs every node's turn again for a new machine type (the VM stops to resize), so the next VM waits until the node is healthy", async () => {
    const before = await runProgram(nodes(2));
    const after = await runProgram(nodes(2, { "agent-studio-voice:machineType": "n2-standard-8" }));
    for (const name of ["voice-roll-drain", "voice-roll-1-drain"]) {
      expect(after.monitor.byName(name).inputs.triggers).not.toEqual(before.monitor.byName(name).inputs.triggers);
    }
  }, 120_000);

  it("has no rolling deploy with one node: its single origination URL is never switched off", async () => {
    const run = await runProgram(stackConfig("prod"));
    expect(run.monitor.ofType("agent-studio:rolling-deploy:RollingDeployGate")).toEqual([]);
    expect(run.monitor.ofType("pulumi-nodejs:dynamic/twilio:OriginationUrlSwitch")).toEqual([]);
  }, 120_000);
});

describe("alerts with several nodes", () => {
  it("give nodes 1 and 2 their own policy of every per-host rule, watching their own VM", async () => {
    const run = await runProgram(nodes(3));
    const perHost = alertRules().filter((rule) => rule.perHost);
    const names = run.monitor.ofType("gcp:monitoring/alertPolicy:AlertPolicy").map((p) => p.name);
    expect(names.sort()).toEqual(
      [...alertRules().map((rule) => `voice-obs-${rule.id}`), ...[1, 2].flatMap((node) => perHost.map((rule) => `voice-obs-node-${node}-${rule.id}`))].sort(),
    );
    const disk = run.monitor.byName("voice-obs-node-2-boot-disk-full").inputs;
    expect(disk.displayName).toBe("agent-studio-voice prod: Boot disk full (node 2)");
    expect(disk.conditions[0].conditionThreshold.filter).toContain('resource.label.instance_id="voice-host-2-vm-1234567890"');
    expect(run.monitor.byName("voice-obs-node-1-no-worker-registered").inputs.conditions[0].conditionPrometheusQueryLanguage.query).toContain("/voice-host-1-vm-a1b2c3");
  }, 120_000);
});

describe("going from 2 nodes to 3", () => {
  /** Names of the resources whose type or inputs differ between the two runs, among those of `before`. */
  const changed = (before: OfflineRun, after: OfflineRun): string[] => {
    const next = plan(after);
    return [...plan(before)].filter(([name, resource]) => JSON.stringify(next.get(name)) !== JSON.stringify(resource)).map(([name]) => name);
  };

  it("touches no resource of nodes 0 and 1 (update): only the load balancer's backend list grows", async () => {
    const two = await runProgram(nodes(2));
    const three = await runProgram(nodes(3));
    expect(changed(two, three)).toEqual(["voice-lb-backend"]);
    expect([...plan(three).keys()].filter((name) => !plan(two).has(name))).toEqual(
      expect.arrayContaining(["voice-net-ip-2", "voice-host-2-vm", "voice-lb-group-2", "voice-deploy-2-compose", "voice-worker-2-deploy", "voice-twilio-origination-2", "voice-dns-sip-2"]),
    );
  }, 180_000);

  it("previews the same: the existing nodes' resources keep their inputs while the new node's are created", async () => {
    const two = await runProgram(nodes(2));
    const existing = new Set(two.monitor.resources.map((r) => `${r.type} ${r.name}`));
    const stackOfTwo: PreviewPlan = { exists: (name, type) => existing.has(`${type} ${name}`) };
    const previewTwo = await runProgram(nodes(2), "prod", { preview: stackOfTwo });
    const previewThree = await runProgram(nodes(3), "prod", { preview: stackOfTwo });
    expect(changed(previewTwo, previewThree)).toEqual(["voice-lb-backend"]);
  }, 240_000);
});
