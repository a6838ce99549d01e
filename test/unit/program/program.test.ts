import { createHash, createHmac } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { twilioMediaCidrs, twilioSignalingCidrs } from "../../../components/config";
import { buildContextHash, contentTag, workerContextDir } from "../../../components/worker-image";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { mockStaticIp, type RecordedResource } from "../../utils/pulumi-mocks";
import { commandType, runProgram, stackConfig, triggersByStep } from "../../utils/offline-program";

const firewallType = "gcp:compute/firewall:Firewall";

function portsOf(rule: RecordedResource): string[] {
  return rule.inputs.allows.flatMap((a: { protocol: string; ports: string[] }) => a.ports.map((p) => `${p}/${a.protocol}`));
}

function covers(rule: RecordedResource, port: number): boolean {
  return rule.inputs.allows.some((a: { ports: string[] }) =>
    a.ports.some((p) => {
      const [start, end = start] = p.split("-").map(Number);
      return port >= start && port <= end;
    }),
  );
}

/** A dynamic resource's inputs without its serialized provider code. */
function withoutProvider(inputs: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _provider, ...rest } = inputs;
  return rest;
}

describe("the program with Pulumi.prod.yaml", () => {
  let run: OfflineRun;
  beforeAll(async () => (run = await runProgram(stackConfig("prod"))), 60_000);

  it("declares the network, host, runtime, DNS and deployment", () => {
    const components = run.monitor.resources.filter((r) => !r.custom).map((r) => r.type);
    expect(components).toEqual(
      expect.arrayContaining([
        "agent-studio:network:Network",
        "agent-studio:host:LiveKitHost",
        "agent-studio:runtime:RuntimeConfig",
        "agent-studio:dns:Dns",
        "agent-studio:deployment:StackDeployment",
        "agent-studio:worker:WorkerImage",
        "agent-studio:deployment:WorkerDeployment",
      ]),
    );
    expect(run.monitor.ofType("gcp:compute/instance:Instance")).toHaveLength(1);
    expect(run.monitor.ofType("gcp:compute/address:Address")).toHaveLength(1);
    expect(run.monitor.ofType("gcp:dns/recordSet:RecordSet").map((r) => r.inputs)).toEqual([
      expect.objectContaining({ name: "voice.agentstudio.example.com.", type: "A", rrdatas: [mockStaticIp] }),
      // Secure trunking's SIP host name, whose certificate Caddy obtains.
      expect.objectContaining({ name: "sip.voice.agentstudio.example.com.", type: "A", rrdatas: [mockStaticIp] }),
    ]);
  });

  it("never opens the LiveKit API, Redis or metrics ports, nor SSH to the internet", () => {
    const rules = run.monitor.ofType(firewallType);
    for (const internal of [7880, 6379, 6789, 6790, 8080, 2019, 8081]) {
      expect(rules.filter((r) => covers(r, internal)).map((r) => r.name)).toEqual([]);
    }
    const ssh = rules.filter((r) => covers(r, 22));
    expect(ssh.map((r) => r.inputs.sourceRanges)).toEqual([["198.51.100.0/24"]]);
    for (const rule of rules) {
      expect(rule.inputs.direction).toBe("INGRESS");
      expect(rule.inputs.targetTags).toEqual(["voice-net-voice-host"]);
    }
  });

  it("opens exactly DESIGN.md's public ports to the internet", () => {
    const open = run.monitor
      .ofType(firewallType)
      .filter((r) => r.inputs.sourceRanges.includes("0.0.0.0/0"))
      .flatMap(portsOf)
      .sort();
    expect(open).toEqual(["3478/udp", "443/tcp", "7881/tcp", "7882/udp", "80/tcp"]);
  });

  it("limits SIP signaling (over TLS: secure trunking is on) and RTP media to the carrier's ranges", () => {
    const sip = run.monitor.byName("voice-net-sip-tls");
    expect(portsOf(sip).sort()).toEqual(["5061/tcp"]);
    expect(sip.inputs.sourceRanges).toEqual([...twilioSignalingCidrs]);
    const rtp = run.monitor.byName("voice-net-rtp-media");
    expect(portsOf(rtp)).toEqual(["10000-20000/udp"]);
    expect(rtp.inputs.sourceRanges).toEqual([...twilioMediaCidrs]);
  });

  it("runs a shielded Debian 12 VM with its own least-privilege service account", () => {
    const vm = run.monitor.ofType("gcp:compute/instance:Instance")[0].inputs;
    expect(vm.machineType).toBe("n2-standard-4");
    expect(vm.bootDisk.initializeParams).toMatchObject({ image: "debian-cloud/debian-12", size: 50 });
    expect(vm.shieldedInstanceConfig).toEqual({ enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true });
    expect(vm.serviceAccount.email).toBe("voice-host-prod@agent-studio-voice-prod.iam.gserviceaccount.com");
    expect(vm.serviceAccount.scopes.join(" ")).not.toMatch(/cloud-platform/);
    expect(vm.networkInterfaces[0].accessConfigs[0].natIp).toBe(mockStaticIp);
    expect(vm.metadata["startup-script"]).toMatch(/docker-compose-plugin/);
    expect(vm.metadata["block-project-ssh-keys"]).toBe("TRUE");
    const roles = run.monitor.ofType("gcp:projects/iAMMember:IAMMember").map((m) => m.inputs.role).sort();
    expect(roles).toEqual(["roles/artifactregistry.reader", "roles/logging.logWriter", "roles/monitoring.metricWriter"]);
  });

  it("deploys over SSH pinned to the VM's published host key, with secrets kept secret", () => {
    const steps = run.monitor.ofType(commandType);
    expect(steps.map((s) => s.name).sort()).toEqual(
      [
        "voice-deploy-caddy",
        "voice-deploy-compose",
        "voice-deploy-livekit",
        "voice-deploy-livekitKeys",
        "voice-deploy-opsAgent",
        "voice-deploy-redis",
        "voice-deploy-sip",
        "voice-deploy-systemdUnit",
        "voice-deploy-workerSlots",
        "voice-deploy-wait-dns",
        "voice-deploy-wait-host",
        "voice-deploy-wait-tls",
        "voice-worker-deploy",
      ].sort(),
    );
    for (const step of steps) {
      expect(step.inputs.connection).toMatchObject({ host: mockStaticIp, user: "deploy", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey" });
      expect(step.secretInputs).toContain("connection");
    }
    const keys = run.monitor.byName("voice-deploy-livekitKeys");
    expect(keys.secretInputs).toContain("stdin");
    expect(keys.inputs.stdin).toContain("plan-placeholder-livekit-api-secret");
    expect(keys.inputs.create).not.toContain("plan-placeholder");
  });

  it("keeps every runtime file but the key pair's plain, so a preview's diff shows what changes on the host", () => {
    for (const id of ["compose", "livekit", "sip", "redis", "caddy", "systemdUnit", "workerSlots", "opsAgent"]) {
      const step = run.monitor.byName(`voice-deploy-${id}`);
      expect(step.secretInputs).not.toContain("stdin");
      expect(step.secretInputs).not.toContain("create");
      expect(step.inputs.stdin).not.toContain("plan-placeholder");
    }
  });

  it("hashes files holding secrets with the stack's random key, never as a plain digest of the secret content", () => {
    const hashes = run.outputs.runtimeFileHashes as Record<string, string>;
    const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
    const keys = run.monitor.byName("voice-deploy-livekitKeys").inputs.stdin as string;
    const compose = run.monitor.byName("voice-deploy-compose").inputs.stdin as string;
    const hashKey = run.monitor.ofType("random:index/randomBytes:RandomBytes");
    expect(hashKey.map((r) => r.inputs)).toEqual([{ length: 32 }]);
    expect(hashes.compose).toBe(sha256(compose));
    expect(hashes.livekitKeys).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes.livekitKeys).not.toBe(sha256(keys));
    expect(hashes.livekitKeys).toBe(createHmac("sha256", "ab".repeat(32)).update(keys).digest("hex"));
    const workerEnv = run.monitor.byName("voice-worker-deploy").inputs.stdin as string;
    expect(run.outputs.workerEnvHash).not.toBe(sha256(workerEnv));
    expect(run.outputs.workerEnvHash).toBe(createHmac("sha256", "ab".repeat(32)).update(workerEnv).digest("hex"));
  });

  it("replaces the VM delete-first, since its static IP can be attached to one VM at a time", () => {
    expect(run.deleteBeforeReplace).toContain("voice-host-vm");
  });

  it("deploys in order: host, DNS, files, stack, certificate, LiveKit trunks, worker", () => {
    const waitsFor = (name: string) => run.dependsOn.get(name) ?? [];
    expect(waitsFor("voice-deploy-wait-dns")).toEqual(expect.arrayContaining(["voice-deploy-wait-host", "voice-dns"]));
    const files = ["voice-deploy-caddy", "voice-deploy-livekit", "voice-deploy-livekitKeys", "voice-deploy-redis", "voice-deploy-sip", "voice-deploy-systemdUnit", "voice-deploy-workerSlots"];
    // Caddy asks for a certificate as soon as it reads a Caddyfile naming a new domain.
    for (const file of files) expect(waitsFor(file)).toContain("voice-deploy-wait-dns");
    expect(waitsFor("voice-deploy-compose")).toEqual(expect.arrayContaining(["voice-deploy-wait-dns", ...files]));
    expect(waitsFor("voice-deploy-wait-tls")).toEqual(["voice-deploy-compose"]);
    for (const livekitResource of ["voice-sip-outbound-trunk", "voice-sip-inbound-trunk", "voice-sip-dispatch-rule"]) {
      expect(waitsFor(livekitResource)).toEqual(["voice-deploy-wait-tls"]);
    }
    expect(waitsFor("voice-worker-deploy")).toEqual(expect.arrayContaining(["voice-sip"]));
  });

  it("waits for Caddy to serve the domain with a valid certificate before the LiveKit API is called", () => {
    const step = run.monitor.byName("voice-deploy-wait-tls");
    expect(step.inputs.create).toContain("https://voice.agentstudio.example.com/");
    expect(step.inputs.create).toContain("'voice.agentstudio.example.com' 443");
    expect(step.inputs.triggers).toEqual([
      expect.stringContaining("voice-host-vm"),
      "voice.agentstudio.example.com",
      "sip.voice.agentstudio.example.com",
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ]);
  });

  it("pins every image: the servers to releases, the worker to its build", () => {
    const compose = run.monitor.byName("voice-deploy-compose").inputs.stdin as string;
    const images = [...compose.matchAll(/image: (\S+)/g)].map((m) => m[1]);
    // The worker's image twice: its two slots.
    expect(images).toHaveLength(6);
    for (const image of images.filter((i) => !i.includes("/worker"))) {
      expect(image).toMatch(/:v?\d+\.\d+\.\d+/);
    }
    // Under mocks the registry reports no digest, so the host would run the content-tagged name.
    expect(images).toContain(run.outputs.workerImageRef);
  });

  it("builds worker/ into an image tagged with its content hash and pushes it to the stack's Artifact Registry repository", () => {
    const repository = run.monitor.ofType("gcp:artifactregistry/repository:Repository");
    expect(repository.map((r) => r.inputs)).toEqual([
      expect.objectContaining({ project: "agent-studio-voice-prod", location: "us-central1", repositoryId: "agent-studio-voice-prod", format: "DOCKER" }),
    ]);
    const imageName = `us-central1-docker.pkg.dev/agent-studio-voice-prod/agent-studio-voice-prod/worker:${contentTag(buildContextHash(workerContextDir))}`;
    const image = run.monitor.ofType("docker:index/image:Image");
    expect(image.map((i) => i.inputs)).toEqual([
      expect.objectContaining({
        imageName,
        build: { context: "worker", platform: "linux/amd64" },
        registry: expect.objectContaining({ server: "us-central1-docker.pkg.dev", username: "oauth2accesstoken" }),
      }),
    ]);
    expect(image[0].secretInputs).toContain("registry");
    expect(run.outputs.workerImageRef).toBe(imageName);
    // The VM's docker may pull from that registry with its service account.
    const vm = run.monitor.ofType("gcp:compute/instance:Instance")[0].inputs;
    expect(vm.metadata["startup-script"]).toContain("gcloud auth configure-docker us-central1-docker.pkg.dev --quiet");
  });

  it("starts the worker in a step of its own with a root-only env file naming the outbound trunk, never the SIP password", () => {
    const step = run.monitor.byName("voice-worker-deploy");
    const env = step.inputs.stdin as string;
    expect(env.split("\n").filter((line) => line !== "" && !line.startsWith("#")).sort()).toEqual(
      [
        "AGENT_NAME=agent-studio-voice",
        "CALLS_PER_PROCESS=8",
        "HEALTH_HOST=127.0.0.1",
        "LIVEKIT_API_KEY=APIagentstudioprod",
        "LIVEKIT_API_SECRET=plan-placeholder-livekit-api-secret-000000",
        "LIVEKIT_URL=ws://127.0.0.1:7880",
        "MAX_CALL_SECONDS=1800",
        "METRICS_HOST=127.0.0.1",
        "SIP_OUTBOUND_TRUNK_ID=voice-sip-outbound-trunk-id",
      ].sort(),
    );
    expect(env).not.toContain("Plan-Placeholder-Passw0rd");
    expect(step.secretInputs).toEqual(expect.arrayContaining(["stdin", "create", "connection"]));
    expect(step.inputs.create).toContain("sudo gcloud auth configure-docker 'us-central1-docker.pkg.dev' --quiet");
    expect(step.inputs.create).toContain("sudo chmod 0600 '/opt/agent-studio-voice/worker.env.new'");
    expect(step.inputs.create).toMatch(/^sudo sh '\/opt\/agent-studio-voice\/worker-slots\.sh' hand-over$/m);
    expect(step.inputs.triggers).toEqual([expect.stringMatching(/^voice-host-vm/), run.outputs.workerEnvHash, expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it("points Twilio's origination at the SIP host name over TLS and LiveKit's outbound trunk at Twilio with the trunk's credential", () => {
    const origination = run.monitor.ofType("pulumi-nodejs:dynamic/twilio:OriginationUrl");
    expect(origination.map((o) => o.inputs.sipUrl)).toEqual(["sip:sip.voice.agentstudio.example.com:5061;transport=tls"]);
    const credential = run.monitor.ofType("pulumi-nodejs:dynamic/twilio:Credential")[0];
    const outbound = run.monitor.ofType("pulumi-nodejs:dynamic/livekit:SipOutboundTrunk")[0];
    expect(outbound.inputs).toMatchObject({
      url: "https://voice.agentstudio.example.com",
      address: "agent-studio-prod.pstn.twilio.com",
      numbers: ["+15005550006"],
      authUsername: credential.inputs.username,
      authPassword: credential.inputs.password,
    });
    expect(outbound.secretInputs).toContain("authPassword");
    expect(credential.secretInputs).toContain("password");
    const inbound = run.monitor.ofType("pulumi-nodejs:dynamic/livekit:SipInboundTrunk")[0];
    expect(inbound.inputs.allowedAddresses).toEqual([...twilioSignalingCidrs]);
    const dispatch = run.monitor.ofType("pulumi-nodejs:dynamic/livekit:SipDispatchRule");
    // One rule for every number, under the name and inputs it had before agentsByNumber existed: no diff, no replacement.
    expect(dispatch.map((rule) => [rule.name, withoutProvider(rule.inputs)])).toEqual([
      [
        "voice-sip-dispatch-rule",
        { url: "https://voice.agentstudio.example.com", name: "voice-sip-inbound-calls", trunkIds: [inbound.id], roomPrefix: "call-", agentName: "agent-studio-voice" },
      ],
    ]);
  });

  it("exports the static IP, the wss URL and the SIP URI", () => {
    expect(run.outputs).toMatchObject({
      staticIp: mockStaticIp,
      wssUrl: "wss://voice.agentstudio.example.com",
      livekitApiUrl: "https://voice.agentstudio.example.com",
      sipUri: "sip:sip.voice.agentstudio.example.com:5061;transport=tls",
      twilioTerminationUri: "agent-studio-prod.pstn.twilio.com",
      outboundTrunkId: "voice-sip-outbound-trunk-id",
      agentName: "agent-studio-voice",
    });
  });
});

describe("what a config change touches", () => {
  let base: Record<string, string>;
  beforeAll(async () => {
    base = triggersByStep(await runProgram(stackConfig("prod")));
  }, 60_000);

  async function changedSteps(overrides: Record<string, string>, newSecrets: string[] = []): Promise<string[]> {
    const raw = stackConfig("prod", overrides);
    const changed = triggersByStep(await runProgram({ values: raw.values, secretKeys: new Set([...raw.secretKeys, ...newSecrets]) }));
    return Object.keys(base).filter((step) => base[step] !== changed[step]);
  }

  it("a livekit.yaml input (TURN) re-runs only the livekit step", async () => {
    expect(await changedSteps({ "agent-studio-voice:turnEnabled": "false" })).toEqual(["voice-deploy-livekit"]);
  }, 60_000);

  it("an RTP range change re-runs only the SIP step", async () => {
    expect(await changedSteps({ "agent-studio-voice:rtpPortEnd": "19000" })).toEqual(["voice-deploy-sip"]);
  }, 60_000);

  it("an image version change re-runs only the compose step", async () => {
    expect(await changedSteps({ "agent-studio-voice:redisVersion": "7.4.3-alpine" })).toEqual(["voice-deploy-compose"]);
  }, 60_000);

  it("the API key or secret re-runs the key pair's step and the worker's, nothing else", async () => {
    const rotated = ["voice-deploy-livekitKeys", "voice-worker-deploy"];
    expect((await changedSteps({ "agent-studio-voice:livekitApiKey": "APIrotated" })).sort()).toEqual(rotated);
    expect((await changedSteps({ "agent-studio-voice:livekitApiSecret": "rotated-livekit-api-secret-0123456789" })).sort()).toEqual(rotated);
  }, 120_000);

  it("a domain change waits for the new names, rewrites the Caddyfile and the SIP config (its SIP host name) and waits for the certificate", async () => {
    expect((await changedSteps({ "agent-studio-voice:domain": "voice2.agentstudio.example.com" })).sort()).toEqual([
      "voice-deploy-caddy",
      "voice-deploy-sip",
      "voice-deploy-wait-dns",
      "voice-deploy-wait-tls",
    ]);
  }, 60_000);

  it("routing a number to another agent adds that number's dispatch rule, keeps the every-number rule and re-runs no step", async () => {
    const routes = { "agent-studio-voice:agentsByNumber": JSON.stringify({ "+15005550006": "sales-agent" }) };
    expect(await changedSteps(routes)).toEqual([]);
    const [plain, routed] = [await runProgram(stackConfig("prod")), await runProgram(stackConfig("prod", routes))];
    const declared = (r: OfflineRun) => r.monitor.resources.map((resource) => `${resource.type} ${resource.name}`).sort();
    const added = "pulumi-nodejs:dynamic/livekit:SipDispatchRule voice-sip-dispatch-rule-15005550006";
    expect(declared(routed)).toEqual([...declared(plain), added].sort());
    expect(routed.monitor.byName("voice-sip-dispatch-rule").inputs).toEqual(plain.monitor.byName("voice-sip-dispatch-rule").inputs);
    expect(withoutProvider(routed.monitor.byName("voice-sip-dispatch-rule-15005550006").inputs)).toEqual({
      url: "https://voice.agentstudio.example.com",
      name: "voice-sip-inbound-calls-+15005550006",
      trunkIds: [routed.monitor.byName("voice-sip-inbound-trunk").id],
      roomPrefix: "call-",
      agentName: "sales-agent",
      numbers: ["+15005550006"],
    });
    expect(routed.dependsOn.get("voice-sip-dispatch-rule-15005550006")).toEqual(routed.dependsOn.get("voice-sip-dispatch-rule"));
  }, 120_000);

  it("an AI key re-runs only the worker step", async () => {
    const openai = "agent-studio-voice:openaiApiKey";
    expect(await changedSteps({ [openai]: "sk-0123456789abcdefghijklmn" }, [openai])).toEqual(["voice-worker-deploy"]);
  }, 60_000);

  it("calls per worker process re-run only the worker step, whose env file carries them", async () => {
    const calls = { "agent-studio-voice:callsPerProcess": "2" };
    expect(await changedSteps(calls)).toEqual(["voice-worker-deploy"]);
    const env = (await runProgram(stackConfig("prod", calls))).monitor.byName("voice-worker-deploy").inputs.stdin as string;
    expect(env).toMatch(/^CALLS_PER_PROCESS=2$/m);
  }, 60_000);
});

describe("a stack without a Cloud DNS zone", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    const raw = stackConfig("prod");
    const { "agent-studio-voice:dnsManagedZone": _zone, ...values } = raw.values;
    run = await runProgram({ values, secretKeys: raw.secretKeys });
  }, 60_000);

  it("creates no DNS record, names the one to create by hand, and still waits for it to resolve", () => {
    expect(run.monitor.ofType("gcp:dns/recordSet:RecordSet")).toEqual([]);
    expect(run.monitor.resources.map((r) => r.type)).not.toContain("agent-studio:dns:Dns");
    expect(run.outputs.dnsRecord).toBe(`voice.agentstudio.example.com. A ${mockStaticIp}, sip.voice.agentstudio.example.com. A ${mockStaticIp} (create by hand)`);
    expect(run.monitor.byName("voice-deploy-wait-dns").inputs.create).toContain(`"voice.agentstudio.example.com. A ${mockStaticIp}"`);
    expect(run.monitor.byName("voice-deploy-wait-dns").inputs.create).toContain(`"sip.voice.agentstudio.example.com. A ${mockStaticIp}"`);
    expect(run.dependsOn.get("voice-deploy-wait-dns")).toEqual(["voice-deploy-wait-host"]);
  });
});

describe("a stack with bad config", () => {
  it("stops with one line per bad key and no stack trace", async () => {
    const raw = stackConfig("prod", { "agent-studio-voice:diskSizeGb": "5", "agent-studio-voice:adminCidrs": '["0.0.0.0/0"]' });
    const failure = await runProgram(raw).catch((error: unknown) => error);
    expect(String(failure)).toMatch(
      /Stack "prod" config has 2 problems:\n {2}- agent-studio-voice:diskSizeGb = "5": .*\n {2}- agent-studio-voice:adminCidrs = .*never 0\.0\.0\.0\/0/,
    );
    // A RunError: the CLI prints its message alone, without a stack trace.
    expect(pulumi.RunError.isInstance(failure)).toBe(true);
  }, 60_000);
});
