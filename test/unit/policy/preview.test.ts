import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { securityPolicies } from "../../../policy/policies";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { runProgram, stackConfig } from "../../utils/offline-program";
import { policyVerdict, type ResourceUnderTest, unknownString, type Verdict } from "../../utils/policy-args";
import { freshStackPreview } from "../../../scripts/plan/mock-monitor";
import { afterUpdate, fromPreviewRun, previewShaped } from "../../utils/preview-shape";

const policy = (name: string) => {
  const found = securityPolicies.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no policy ${name}`);
  return found;
};
const byName = (resources: readonly ResourceUnderTest[], name: string): ResourceUnderTest => {
  const found = resources.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource ${name}`);
  return found;
};
/** The stack with one resource's properties changed. */
const withProps = (resources: readonly ResourceUnderTest[], name: string, change: (props: Record<string, any>) => Record<string, any>) =>
  resources.map((r) => (r.name === name ? { ...r, props: change(r.props) } : r));
/** One policy's verdict on a stack: `Analyze` of every resource, then `AnalyzeStack`. */
const verdict = (name: string, resources: readonly ResourceUnderTest[]): Promise<Verdict> => policyVerdict(policy(name), resources);

describe("the policy pack at a fresh stack's preview (values unknown where the engine leaves them)", () => {
  let run: OfflineRun;
  let preview: ResourceUnderTest[];
  beforeAll(async () => {
    run = await runProgram(stackConfig("prod"));
    preview = previewShaped(run);
  }, 60_000);

  it("is shaped as the engine shapes it: the values the policies read are unknown", () => {
    const vm = unknownCheckingProxy(byName(preview, "voice-host-vm").props);
    expect(() => vm.serviceAccount.email).toThrow(UnknownValueError);
    expect(() => vm.metadata["ssh-keys"]).toThrow(UnknownValueError);
    expect(vm.serviceAccount.scopes.length).toBeGreaterThan(0);
    expect(byName(preview, "voice-host-vm").propertyDependencies).toMatchObject({ serviceAccount: ["voice-host-sa"], metadata: ["voice-host-deploy-key"] });
    expect(byName(preview, "voice-host-sa-logging-logWriter").propertyDependencies).toEqual({ member: ["voice-host-sa"] });
    const outputs = byName(preview, "agent-studio-voice-prod").props;
    expect(outputs.dispatchRuleId).toBe(unknownString);
    expect(outputs.wssUrl).toBe("wss://voice.agentstudio.example.com");
  });

  it.each(securityPolicies.map((p) => [p.name]))("%s gives a verdict on the program: pass", async (name) => {
    expect((await verdict(name, preview)).violations).toEqual([]);
  });

  it("judges the VM's service account by where its email comes from, and names nothing deferred", async () => {
    expect(await verdict("shielded-least-privilege-vm", preview)).toEqual({ violations: [], deferred: [], urns: [] });
  });

  it("passes ssh-keys computed from the stack's generated key, deferring only the check that it is the public half", async () => {
    const { deferred } = await verdict("no-clear-secrets", preview);
    expect(deferred).toContainEqual(
      expect.stringMatching(/^Deferred to the update: voice-host-vm: metadata ssh-keys comes from the key this stack generates \(voice-host-deploy-key\); that it holds only the public half is checked/),
    );
  });

  it("judges output names now and says which output values wait for the update", async () => {
    const { deferred } = await verdict("no-secret-stack-outputs", preview);
    expect(deferred).toEqual([expect.stringMatching(/^Deferred to the update: stack outputs .*dispatchRuleId.* are not known until the update\. Names are judged now/)]);
    expect(deferred[0]).not.toContain("wssUrl");
  });

  it("fails a VM that runs as the default compute account, or as an account the stack does not create", async () => {
    for (const email of ["123456789012-compute@developer.gserviceaccount.com", "ops@other-project.iam.gserviceaccount.com"]) {
      const stack = withProps(preview, "voice-host-vm", (p) => ({ ...p, serviceAccount: { ...p.serviceAccount, email } }));
      expect((await verdict("shielded-least-privilege-vm", stack)).violations).toEqual([
        expect.stringMatching(/default compute service account|a service account this stack does not create/),
      ]);
    }
  });

  it("fails a role beyond the voice host's granted to the VM's account, though the grant's member is not known yet", async () => {
    const editor: ResourceUnderTest = {
      type: "gcp:projects/iAMMember:IAMMember",
      name: "voice-host-sa-editor",
      props: { project: "agent-studio-voice-prod", role: "roles/editor", member: unknownString },
      propertyDependencies: { member: ["voice-host-sa"] },
    };
    const { violations, urns } = await verdict("shielded-least-privilege-vm", [...preview, editor]);
    expect(violations).toEqual([expect.stringContaining("VM voice-host-vm: its service account (voice-host-sa) is granted roles/editor by voice-host-sa-editor")]);
    expect(urns).toEqual([expect.stringContaining("voice-host-sa-editor")]);
  });

  it("fails ssh-keys holding a private key, and a secret-named metadata key whatever computes its value", async () => {
    const privateKey = "deploy:-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
    const literal = withProps(preview, "voice-host-vm", (p) => ({ ...p, metadata: { ...p.metadata, "ssh-keys": privateKey } }));
    expect((await verdict("no-clear-secrets", literal)).violations).toEqual([expect.stringContaining("voice-host-vm: metadata ssh-keys holds a private key")]);
    const named = withProps(preview, "voice-host-vm", (p) => ({ ...p, metadata: { ...p.metadata, "livekit-api-secret": unknownString } }));
    expect((await verdict("no-clear-secrets", named)).violations).toEqual([
      expect.stringContaining("voice-host-vm: metadata key livekit-api-secret will hold a value computed from tls:index/privateKey:PrivateKey voice-host-deploy-key"),
    ]);
  });

  it("fails an output named like a secret though its value is not known yet", async () => {
    const stack = withProps(preview, "agent-studio-voice-prod", (p) => ({ ...p, livekitApiSecret: unknownString }));
    expect((await verdict("no-secret-stack-outputs", stack)).violations).toEqual([expect.stringContaining("Stack output livekitApiSecret is named like a secret")]);
  });

  it("fails a firewall rule exposing Redis or admitting SIP from anywhere, though its network is not known yet", async () => {
    const rule = (name: string, allows: object[]): ResourceUnderTest => ({
      type: "gcp:compute/firewall:Firewall",
      name,
      props: { direction: "INGRESS", network: unknownString, allows, sourceRanges: ["0.0.0.0/0"] },
      propertyDependencies: { network: ["voice-net-vpc"] },
    });
    expect((await verdict("no-public-internal-ports", [...preview, rule("redis", [{ protocol: "tcp", ports: ["6379"] }])])).violations).toEqual([
      expect.stringContaining("Firewall rule redis opens 6379/tcp"),
    ]);
    expect((await verdict("carrier-only-sip-rtp", [...preview, rule("sip", [{ protocol: "udp", ports: ["5060"] }])])).violations).toEqual([
      expect.stringContaining("Firewall rule sip lets SIP signaling (5060/udp) in from 0.0.0.0/0"),
    ]);
  });

  it("fails a compose file with an unpinned image, and a dynamic resource of the generic type", async () => {
    const compose = byName(preview, "voice-deploy-compose");
    expect(compose.props.stdin).toMatch(/image: redis:/);
    const latest = withProps(preview, "voice-deploy-compose", (p) => ({ ...p, stdin: String(p.stdin).replace(/image: redis:\S+/, "image: redis:latest") }));
    expect((await verdict("pinned-images", latest)).violations).toEqual([expect.stringContaining('image "redis:latest"')]);
    const generic: ResourceUnderTest = { type: "pulumi-nodejs:dynamic:Resource", name: "rule", props: { trunkIds: [unknownString] } };
    expect((await verdict("distinct-dynamic-types", [...preview, generic])).violations).toEqual([expect.stringContaining("Dynamic resource rule has the generic type")]);
  });
});

describe("the policy pack over the program run in the mock runtime's preview mode", () => {
  let preview: ResourceUnderTest[];
  beforeAll(async () => {
    const model = previewShaped(await runProgram(stackConfig("prod")));
    preview = fromPreviewRun(await runProgram(stackConfig("prod"), "prod", { preview: freshStackPreview }), model);
  }, 180_000);

  it("leaves unknown what a fresh stack's preview cannot know", () => {
    const vm = unknownCheckingProxy(byName(preview, "voice-host-vm").props);
    expect(() => vm.metadata["ssh-keys"]).toThrow(UnknownValueError);
    expect(byName(preview, "voice-host-vm").props.metadata["startup-script"]).toMatch(/^#!\/bin\/bash/);
  });

  it.each(securityPolicies.map((p) => [p.name]))("%s gives a verdict: pass", async (name) => {
    expect((await verdict(name, preview)).violations).toEqual([]);
  });

  it("defers exactly the checks whose values the preview cannot know", async () => {
    expect((await verdict("shielded-least-privilege-vm", preview)).deferred).toEqual([]);
    const secrets = (await verdict("no-clear-secrets", preview)).deferred;
    const pins = (await verdict("pinned-images", preview)).deferred;
    expect(secrets).toContainEqual(expect.stringContaining("voice-host-vm: metadata ssh-keys comes from the key this stack generates (voice-host-deploy-key)"));
    // Each deploy step's file is judged now when the preview knows it, and named as deferred when not.
    const steps = preview.filter((r) => r.type === "command:remote:Command" && "stdin" in r.props);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      const unknown = step.props.stdin === unknownString;
      expect(secrets.some((d) => d.includes(`${step.name}: stdin is computed from`))).toBe(unknown);
      expect(pins.some((d) => d.startsWith(`Deferred to the update: ${step.name}: stdin is not known`))).toBe(unknown);
    }
  });
});

describe("the policy pack at the update (every value known)", () => {
  let update: ResourceUnderTest[];
  beforeAll(async () => {
    update = afterUpdate(await runProgram(stackConfig("prod")));
  }, 60_000);

  it.each(securityPolicies.map((p) => [p.name]))("%s passes the program and defers nothing", async (name) => {
    expect(await verdict(name, update)).toEqual({ violations: [], deferred: [], urns: [] });
  });

  it("matches the VM's account and its grants by their known emails", async () => {
    const stack = withProps(update, "voice-host-sa-logging-logWriter", (p) => ({ ...p, role: "roles/owner" }));
    expect((await verdict("shielded-least-privilege-vm", stack)).violations).toEqual([expect.stringContaining("is granted roles/owner by voice-host-sa-logging-logWriter")]);
  });
});
