import * as pulumi from "@pulumi/pulumi";

/**
 * Resolves once every resource registration the program started has finished. Declaring a
 * dynamic resource serializes its provider asynchronously; a test that ends before that
 * finishes leaves work running after jest tears the environment down. `waitForRPCs` is
 * exported at run time by @pulumi/pulumi/runtime/settings but marked internal in its typings.
 */
export function registrationsSettled(): Promise<void> {
  return (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}
