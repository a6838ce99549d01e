import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** One resource the program registered under the mock runtime. */
export interface RecordedResource {
  /** Type token, e.g. `gcp:compute/firewall:Firewall`. */
  type: string;
  /** Logical name. */
  name: string;
  /** Inputs as the resource received them, with secret values unwrapped. */
  inputs: Record<string, any>;
  /** Top-level input names whose value was (or contained) a secret. */
  secretInputs: string[];
  /** Physical ID the mock assigned. */
  id: string;
  /** Whether a provider manages it (false for components). */
  custom: boolean;
}

/** Extra output properties a mock returns per type token, for outputs real providers compute. */
export type ComputedOutputs = Record<string, (inputs: Record<string, any>, name: string) => Record<string, unknown>>;

/** Results of provider functions (invokes) by token. */
export type InvokeResults = Record<string, (inputs: Record<string, any>) => Record<string, unknown>>;

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
  if (isWireSecret(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Documentation-range address every mocked static IP gets. */
export const mockStaticIp = "203.0.113.10";

/** A Twilio-shaped SID (`<prefix>` + 32 hex digits) derived from a resource name, stable across runs. */
function mockSid(prefix: string, name: string): string {
  return prefix + createHash("md5").update(name).digest("hex");
}

const twilioSid = (prefix: string) => (_inputs: Record<string, any>, name: string) => ({ sid: mockSid(prefix, name) });

/** Outputs providers compute that the program reads back (GCP, TLS, and our Twilio providers' SIDs). */
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
  "gcp:compute/address:Address": () => ({ address: mockStaticIp }),
  "gcp:serviceaccount/account:Account": (inputs) => ({
    email: `${inputs.accountId}@${inputs.project ?? "example-project"}.iam.gserviceaccount.com`,
  }),
  "gcp:compute/instance:Instance": (_inputs, name) => ({ name: `${name}-a1b2c3`, instanceId: `${name}-1234567890` }),
  "gcp:compute/network:Network": (_inputs, name) => ({ selfLink: `projects/mock/global/networks/${name}` }),
  "gcp:compute/subnetwork:Subnetwork": (_inputs, name) => ({ selfLink: `projects/mock/regions/mock/subnetworks/${name}` }),
  "tls:index/privateKey:PrivateKey": () => ({
    publicKeyOpenssh: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockDeployKey",
    privateKeyOpenssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nmock\n-----END OPENSSH PRIVATE KEY-----\n",
  }),
};

/** Provider function results the program needs: the VM's published SSH host key. */
export const defaultInvokeResults: InvokeResults = {
  "gcp:compute/getInstanceGuestAttributes:getInstanceGuestAttributes": () => ({
    queryValues: [{ namespace: "hostkeys", key: "ssh-ed25519", value: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey" }],
  }),
};

/**
 * Mock monitor that records every resource the program registers, so the offline plan can print
 * them and tests can assert the inputs each resource received.
 */
export class MockMonitor implements pulumi.runtime.Mocks {
  /** Every resource registered so far, in registration order. */
  readonly resources: RecordedResource[] = [];

  constructor(
    private readonly computed: ComputedOutputs = defaultComputedOutputs,
    private readonly invokes: InvokeResults = defaultInvokeResults,
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
    // The mock runtime passes "" (not undefined) for new resources; an empty ID would read as unknown.
    const id = args.id || `${args.name}-id`;
    const extra = this.computed[args.type]?.(args.inputs, args.name) ?? {};
    const inputs = unwrapSecrets(args.inputs) as Record<string, any>;
    const secretInputs = Object.keys(args.inputs ?? {}).filter((k) => containsSecret(args.inputs[k]));
    this.resources.push({ type: args.type, name: args.name, inputs, secretInputs, id, custom: args.custom ?? true });
    return { id, state: { ...args.inputs, ...extra } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    return this.invokes[args.token]?.(args.inputs) ?? args.inputs;
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
