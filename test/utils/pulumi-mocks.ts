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

/** Resolves an Output's value (known values only; mocks make all values known). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** True when the Output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}
