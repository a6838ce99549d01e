import * as pulumi from "@pulumi/pulumi";

export {
  defaultComputedOutputs,
  defaultInvokeResults,
  MockMonitor as MockRegistry,
  mockStaticIp,
  type ComputedOutputs,
  type InvokeResults,
  type RecordedResource,
} from "../../scripts/plan/mock-monitor";
import { MockMonitor } from "../../scripts/plan/mock-monitor";

/**
 * Runs Pulumi's mock runtime (update mode) over `registry`, recording every resource declared.
 * The mock monitor passes `id: ""` (no import ID) for new resources; an empty ID reads as unknown
 * and would never resolve, so the registry assigns its `<name>-id`.
 */
export function setRegistryMocks(registry: MockMonitor): void {
  pulumi.runtime.setMocks(
    { newResource: (args) => registry.newResource({ ...args, id: args.id || undefined }), call: (args) => registry.call(args) },
    "agent-studio-voice",
    "test",
    false,
  );
}

/** Resolves an Output's value (known values only; mocks make all values known). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** True when the Output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}
