import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** One resource the program registered under the mock runtime. */
export interface RecordedResource {
  /** Type token, e.g. `gcp:compute/firewall:Firewall`. */
  type: string;
  /** Logical name. */
  name: string;
  /** Inputs as the resource received them, with secret values unwrapped (unknown ones in a preview: `pulumi.isUnknown`). */
  inputs: Record<string, any>;
  /** Top-level input names whose value was (or contained) a secret. */
  secretInputs: string[];
  /** Physical ID the mock assigned; "" for a resource a preview creates (unknown until the update). */
  id: string;
  /** Whether a provider manages it (false for components). */
  custom: boolean;
}

/** Extra output properties a mock returns per type token, for outputs real providers compute. */
export type ComputedOutputs = Record<string, (inputs: Record<string, any>, name: string) => Record<string, unknown>>;

/**
 * Results of provider functions (invokes) by token. Each gets the invoke's arguments and the
 * monitor, so a mock can refuse, as the real provider would, to read a resource that does not
 * exist yet.
 */
export type InvokeResults = Record<string, (inputs: Record<string, any>, monitor: MockMonitor) => Record<string, unknown>>;

/** One provider function call the program made. */
export interface RecordedInvoke {
  /** Function token, e.g. `gcp:compute/getInstanceGuestAttributes:getInstanceGuestAttributes`. */
  token: string;
  /** Its arguments. */
  args: Record<string, any>;
}

/**
 * A preview as `pulumi preview` runs it: resources that already exist report every output, the
 * ones this update creates or replaces report only their inputs and what the provider fixes at
 * check time (autonames); every other output is unknown, so `apply` callbacks on it do not run.
 */
export interface PreviewPlan {
  /** Whether the resource with this logical name and type exists before the update and is kept. */
  exists(name: string, type: string): boolean;
}

/** A preview of a stack that does not exist yet: every resource is created. */
export const freshStackPreview: PreviewPlan = { exists: () => false };

// The mock monitor hands secret inputs over in Pulumi's wire form: { [sig]: secretSig, value }.
const signatureKey = "4dabf18193072939515e22adb298388d";
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

function isWireSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[signatureKey] === secretSignature;
}

function containsSecret(value: unknown): boolean {
  if (isWireSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
  return false;
}

function unwrapSecrets(value: unknown): unknown {
  // A preview's unknown value stays the SDK's own marker, so `pulumi.isUnknown` still tells it.
  if (pulumi.isUnknown(value)) return value;
  if (isWireSecret(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Documentation-range address the mocked static IP of node 0 (the single host) gets. */
export const mockStaticIp = "203.0.113.10";

/** The mocked static IP of node `node`: node 0's is {@link mockStaticIp}. */
export function mockNodeIp(node: number): string {
  return `203.0.113.${10 + node}`;
}

/** The mocked address of the load balancer (several nodes). */
export const mockLoadBalancerIp = "198.51.100.80";

/** The mocked Memorystore AUTH string. */
export const mockRedisAuthString = "mock-memorystore-auth-0f1e2d3c";

/** A Twilio-shaped SID (`<prefix>` + 32 hex digits) derived from a resource name, stable across runs. */
function mockSid(prefix: string, name: string): string {
  return prefix + createHash("md5").update(name).digest("hex");
}

const twilioSid = (prefix: string) => (_inputs: Record<string, any>, name: string) => ({ sid: mockSid(prefix, name) });

/** Outputs providers compute that the program reads back (GCP, TLS, random, and our Twilio providers' SIDs). */
export const defaultComputedOutputs: ComputedOutputs = {
  "pulumi-nodejs:dynamic/twilio:Trunk": twilioSid("TK"),
  "pulumi-nodejs:dynamic/twilio:CredentialList": twilioSid("CL"),
  "pulumi-nodejs:dynamic/twilio:Credential": twilioSid("CR"),
  "pulumi-nodejs:dynamic/twilio:OriginationUrl": twilioSid("OU"),
  // Twilio resolves a number given as E.164 or PN SID; the mock assumes E.164 was given.
  "pulumi-nodejs:dynamic/twilio:TrunkPhoneNumber": (inputs, name) => ({
    phoneNumberSid: mockSid("PN", name),
    e164: inputs.phoneNumber,
  }),
  "pulumi-nodejs:dynamic/twilio:IpAccessControlList": twilioSid("AL"),
  // Node 0's address is `voice-net-ip`, node i's `voice-net-ip-<i>`: each gets its own.
  "gcp:compute/address:Address": (_inputs, name) => ({ address: mockNodeIp(Number(/-(\d+)$/.exec(name)?.[1] ?? 0)) }),
  "gcp:compute/globalAddress:GlobalAddress": () => ({ address: mockLoadBalancerIp }),
  "gcp:redis/instance:Instance": () => ({ host: "10.30.0.4", port: 6379, authString: mockRedisAuthString }),
  "gcp:serviceaccount/account:Account": (inputs) => ({
    email: `${inputs.accountId}@${inputs.project ?? "example-project"}.iam.gserviceaccount.com`,
  }),
  "gcp:compute/instance:Instance": (inputs, name) => ({ instanceId: `${name}-1234567890`, selfLink: `projects/mock/zones/${inputs.zone}/instances/${name}` }),
  "gcp:compute/instanceGroup:InstanceGroup": (inputs, name) => ({ selfLink: `projects/mock/zones/${inputs.zone}/instanceGroups/${name}` }),
  "gcp:compute/network:Network": (_inputs, name) => ({ selfLink: `projects/mock/global/networks/${name}` }),
  "gcp:compute/subnetwork:Subnetwork": (_inputs, name) => ({ selfLink: `projects/mock/regions/mock/subnetworks/${name}` }),
  "gcp:monitoring/notificationChannel:NotificationChannel": (inputs, name) => ({
    name: `projects/${inputs.project ?? "example-project"}/notificationChannels/${createHash("sha256").update(name).digest("hex").slice(0, 12)}`,
  }),
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": (_inputs, name) => ({ uptimeCheckId: `${name}-check` }),
  // A fixed stand-in for the stack's random hash key: plans stay reproducible.
  "random:index/randomBytes:RandomBytes": (inputs) => ({
    hex: "ab".repeat(inputs.length ?? 32),
    base64: Buffer.alloc(inputs.length ?? 32, 0xab).toString("base64"),
  }),
  "tls:index/privateKey:PrivateKey": () => ({
    publicKeyOpenssh: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockDeployKey",
    privateKeyOpenssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nmock\n-----END OPENSSH PRIVATE KEY-----\n",
  }),
};

/**
 * Outputs a provider fixes when it checks the inputs, before anything is created: known in a
 * preview even for a resource the update creates (the engine autonames at check time).
 */
export const defaultCheckedOutputs: ComputedOutputs = {
  "gcp:compute/instance:Instance": (inputs, name) => ({ name: inputs.name ?? `${name}-a1b2c3` }),
};

/** Provider function results the program needs: the VM's published SSH host key. */
export const defaultInvokeResults: InvokeResults = {
  // GCE answers only for a VM that exists; reading one this update creates is a program bug.
  "gcp:compute/getInstanceGuestAttributes:getInstanceGuestAttributes": (args, monitor) => {
    if (!monitor.liveNames("gcp:compute/instance:Instance").has(args.name)) {
      throw new Error(`getInstanceGuestAttributes: instance ${String(args.name)} does not exist (yet) in zone ${String(args.zone)}`);
    }
    return { queryValues: [{ namespace: "hostkeys", key: "ssh-ed25519", value: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey" }] };
  },
};

/** How a {@link MockMonitor} answers. */
export interface MockMonitorOptions {
  /** Outputs computed on create, per type. Defaults to {@link defaultComputedOutputs}. */
  computed?: ComputedOutputs;
  /** Outputs fixed at check time, per type. Defaults to {@link defaultCheckedOutputs}. */
  checked?: ComputedOutputs;
  /** Invoke results per token. Defaults to {@link defaultInvokeResults}. */
  invokes?: InvokeResults;
  /** Set for a preview (run the mocks with `preview` true too); unset for an update, where every resource ends up created. */
  preview?: PreviewPlan;
}

/**
 * Mock monitor that records every resource the program registers, so the offline plan can print
 * them and tests can assert the inputs each resource received.
 */
export class MockMonitor implements pulumi.runtime.Mocks {
  /** Every resource registered so far, in registration order. */
  readonly resources: RecordedResource[] = [];
  /** Every provider function the program called, in order. */
  readonly invokes: RecordedInvoke[] = [];
  private readonly computed: ComputedOutputs;
  private readonly checked: ComputedOutputs;
  private readonly invokeResults: InvokeResults;
  private readonly preview: PreviewPlan | undefined;
  /** Physical names (the `name` output) of the resources that exist, by type. */
  private readonly live = new Map<string, Set<string>>();

  constructor(options: MockMonitorOptions = {}) {
    this.computed = options.computed ?? defaultComputedOutputs;
    this.checked = options.checked ?? defaultCheckedOutputs;
    this.invokeResults = options.invokes ?? defaultInvokeResults;
    this.preview = options.preview;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
    const inputs = unwrapSecrets(args.inputs) as Record<string, any>;
    const secretInputs = Object.keys(args.inputs ?? {}).filter((k) => containsSecret(args.inputs[k]));
    const checked = this.checked[args.type]?.(args.inputs, args.name) ?? {};
    if (this.preview !== undefined && !this.preview.exists(args.name, args.type)) {
      // Created or replaced by this update: an empty ID and the outputs left out read as unknown.
      this.resources.push({ type: args.type, name: args.name, inputs, secretInputs, id: "", custom: args.custom ?? true });
      return { id: "", state: { ...args.inputs, ...checked } };
    }
    // The mock runtime passes "" (not undefined) for new resources; an empty ID would read as unknown.
    const id = args.id || `${args.name}-id`;
    const state = { ...args.inputs, ...checked, ...(this.computed[args.type]?.(args.inputs, args.name) ?? {}) };
    if (typeof state.name === "string") {
      this.live.set(args.type, (this.live.get(args.type) ?? new Set()).add(state.name));
    }
    this.resources.push({ type: args.type, name: args.name, inputs, secretInputs, id, custom: args.custom ?? true });
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    const callArgs = unwrapSecrets(args.inputs) as Record<string, any>;
    this.invokes.push({ token: args.token, args: callArgs });
    return this.invokeResults[args.token]?.(callArgs, this) ?? args.inputs;
  }

  /** Physical names of the resources of a type that exist at this point of the run. */
  liveNames(type: string): ReadonlySet<string> {
    return this.live.get(type) ?? new Set();
  }

  /** Resources of one type token. */
  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The single resource with this logical name; throws naming what exists otherwise. */
  byName(name: string): RecordedResource {
    const found = this.resources.find((r) => r.name === name);
    if (!found) {
      throw new Error(`no resource named ${name}; registered: ${this.resources.map((r) => r.name).join(", ")}`);
    }
    return found;
  }
}
