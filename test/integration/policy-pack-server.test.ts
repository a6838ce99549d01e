import { twilioSignalingCidrs } from "../../components/config";
import { securityPolicies } from "../../policy/policies";
import { policyPackDir, type PolicyPackServer, startPolicyPackServer, type WireResource } from "../utils/policy-pack-server";

// Pulumi's wire form of a secret value, as the engine marshals secret inputs for analyzers.
const secretSig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
// The engine's placeholders for an array and a string not known during preview.
const unknownArray = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const firewallType = "gcp:compute/firewall:Firewall";
const mandatory = 1;
const advisory = 0;

describe("the policy pack served as the Pulumi CLI serves it", () => {
  let pack: PolicyPackServer;
  beforeAll(async () => {
    pack = await startPolicyPackServer(policyPackDir);
  }, 180_000);
  afterAll(async () => {
    await pack?.stop();
  });

  it("loads from policy/ and announces every policy, the carrier policy with its config schema", async () => {
    const info = await pack.info();
    expect(info.getName()).toBe("agent-studio-voice-security");
    expect(info.getSupportsconfig()).toBe(true);
    const policies = info.getPoliciesList();
    // Exactly the pack's policies (test/unit/policy/policy-program.test.ts pins their names).
    expect(policies.map((p) => p.getName()).sort()).toEqual(securityPolicies.map((p) => p.name).sort());
    const carrier = policies.find((p) => p.getName() === "carrier-only-sip-rtp");
    expect(carrier?.getConfigschema()?.getProperties()?.toJavaScript()).toMatchObject({ signalingCidrs: { default: [...twilioSignalingCidrs] } });
  });

  it("fails a firewall rule opening SSH to the internet as mandatory, and passes one limited to admins", async () => {
    const rule = (sourceRanges: string[]) => ({ type: firewallType, name: "ssh", props: { direction: "INGRESS", allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges } });
    expect(await pack.analyze(rule(["0.0.0.0/0"]))).toEqual([
      { policy: "no-public-internal-ports", message: expect.stringContaining("opens 22/tcp (SSH) to 0.0.0.0/0"), level: mandatory },
    ]);
    expect(await pack.analyze(rule(["198.51.100.0/24"]))).toEqual([]);
  });

  it("sees secret inputs in plain text, so a marked secret in a container env is still caught", async () => {
    const compose = "services:\n  worker:\n    image: worker:1.0.0\n    environment:\n      LIVEKIT_API_SECRET: s3cretS3cretS3cretS3cretS3cretS3cret\n";
    const found = await pack.analyze({ type: "command:remote:Command", name: "deploy-worker", props: { create: "cat > docker-compose.yml", stdin: { ...secretSig, value: compose } } });
    expect(found).toEqual([{ policy: "no-clear-secrets", message: expect.stringContaining("gives service worker LIVEKIT_API_SECRET in clear"), level: mandatory }]);
  });

  it("at preview, judges what is known and reports what waits for the update as advisory, never as 'can't run'", async () => {
    const found = await pack.analyze({ type: firewallType, name: "sip", props: { direction: "INGRESS", allows: [{ protocol: "udp", ports: ["5060"] }], sourceRanges: unknownArray } });
    expect(found).toEqual([{ policy: "carrier-only-sip-rtp", message: expect.stringMatching(/^Deferred to the update: firewall rule sip: it lets SIP signaling/), level: advisory }]);
    const open = await pack.analyze({ type: firewallType, name: "ssh", props: { direction: "INGRESS", network: unknownString, allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["0.0.0.0/0"] } });
    expect(open).toEqual([{ policy: "no-public-internal-ports", message: expect.stringContaining("opens 22/tcp (SSH) to 0.0.0.0/0"), level: mandatory }]);
  });

  it("gives every stack check a verdict on a fresh stack's preview, from where the unknown values come from", async () => {
    const stack = (extra: WireResource[] = [], outputs: Record<string, unknown> = {}): WireResource[] => [
      { type: "tls:index/privateKey:PrivateKey", name: "deploy-key", props: { algorithm: "ED25519", publicKeyOpenssh: unknownString, privateKeyOpenssh: { ...secretSig, value: unknownString } } },
      { type: "gcp:serviceaccount/account:Account", name: "sa", props: { accountId: "voice-host-prod", email: unknownString } },
      { type: "gcp:projects/iAMMember:IAMMember", name: "logs", props: { role: "roles/logging.logWriter", member: unknownString }, propertyDependencies: { member: ["sa"] } },
      {
        type: "gcp:compute/instance:Instance",
        name: "vm",
        props: {
          shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
          serviceAccount: { email: unknownString, scopes: ["https://www.googleapis.com/auth/logging.write"] },
          metadata: { "ssh-keys": unknownString, "block-project-ssh-keys": "TRUE" },
        },
        propertyDependencies: { serviceAccount: ["sa"], metadata: ["deploy-key"] },
      },
      ...extra,
      { type: "pulumi:pulumi:Stack", name: "agent-studio-voice-prod", props: { wssUrl: "wss://voice.example.com", dispatchRuleId: unknownString, ...outputs } },
    ];
    const passing = await pack.analyzeStack(stack());
    expect(passing.filter((d) => d.level !== advisory)).toEqual([]);
    expect(passing).toEqual([
      { policy: "no-clear-secrets", message: expect.stringContaining("Deferred to the update: vm: metadata ssh-keys comes from the key this stack generates (deploy-key)"), level: advisory },
      { policy: "no-secret-stack-outputs", message: expect.stringContaining("Deferred to the update: stack output dispatchRuleId is not known until the update"), level: advisory },
    ]);
    const editor: WireResource = { type: "gcp:projects/iAMMember:IAMMember", name: "editor", props: { role: "roles/editor", member: unknownString }, propertyDependencies: { member: ["sa"] } };
    const failing = await pack.analyzeStack(stack([editor], { livekitApiSecret: unknownString }));
    expect(failing.filter((d) => d.level === mandatory)).toEqual([
      { policy: "shielded-least-privilege-vm", message: expect.stringContaining("is granted roles/editor by editor"), level: mandatory },
      { policy: "no-secret-stack-outputs", message: expect.stringContaining("Stack output livekitApiSecret is named like a secret"), level: mandatory },
    ]);
  });

  it("checks stack outputs at AnalyzeStack", async () => {
    const outputs = { staticIp: "203.0.113.10", sipPassword: { ...secretSig, value: "Sip-Passw0rd-Test" } };
    expect(await pack.analyzeStack([{ type: "pulumi:pulumi:Stack", name: "agent-studio-voice-prod", props: outputs }])).toEqual([
      { policy: "no-secret-stack-outputs", message: expect.stringContaining("sipPassword is named like a secret"), level: mandatory },
    ]);
  });

  it("takes a named override through the pack config", async () => {
    const rule = { type: firewallType, name: "sip", props: { direction: "INGRESS", allows: [{ protocol: "udp", ports: ["5060"] }], sourceRanges: ["203.0.113.0/24"] } };
    expect(await pack.analyze(rule)).toEqual([expect.objectContaining({ policy: "carrier-only-sip-rtp", level: mandatory })]);
    await pack.configure("carrier-only-sip-rtp", { overrides: [{ name: "lab-pbx", reason: "interop tests", signalingCidrs: ["203.0.113.0/24"] }] });
    expect(await pack.analyze(rule)).toEqual([]);
  });
});
