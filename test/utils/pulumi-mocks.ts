import * as pulumi from "@pulumi/pulumi";

/** One resource the program registered under the mock runtime. */
export interface RecordedResource {
  /** Type token, e.g. `gcp:compute/firewall:Firewall`. */
  type: string;
  /** Logical name. */
  name: string;
  /** Inputs exactly as the resource received them (secrets unwrapped by the mock monitor). */
  inputs: Record<string, any>;
  /** Physical ID the mock assigned. */
  id: string;
}

/** Extra output properties a mock returns per type token, for outputs real providers compute. */
export type ComputedOutputs = Record<string, (inputs: Record<string, any>, name: string) => Record<string, unknown>>;

/** Outputs the GCP provider computes that the program reads back. */
export const defaultComputedOutputs: ComputedOutputs = {
  "gcp:compute/address:Address": () => ({ address: "203.0.113.10" }),
  "gcp:serviceaccount/account:Account": (inputs) => ({
    email: `${inputs.accountId}@example-project.iam.gserviceaccount.com`,
  }),
  "gcp:compute/instance:Instance": () => ({ instanceId: "1234567890" }),
};

/**
 * Mock monitor that records every resource the program registers, so tests can assert the
 * inputs each resource type received instead of merely "construction did not throw".
 */
export class MockRegistry implements pulumi.runtime.Mocks {
  /** Every resource registered so far, in registration order. */
  readonly resources: RecordedResource[] = [];

  constructor(private readonly computed: ComputedOutputs = defaultComputedOutputs) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
    const id = args.id ?? `${args.name}-id`;
    const extra = this.computed[args.type]?.(args.inputs, args.name) ?? {};
    this.resources.push({ type: args.type, name: args.name, inputs: args.inputs, id });
    return { id, state: { ...args.inputs, ...extra } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    return args.inputs;
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

/** Resolves an Output's value (known values only; mocks make all values known). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** True when the Output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}
