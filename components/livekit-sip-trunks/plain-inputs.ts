import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN_VALUE } from "../../providers/base";

/**
 * A component argument as the provider checks see it before deployment: plain values as
 * they are, values still to be computed (Outputs, Promises) as Pulumi's unknown placeholder,
 * which the checks skip. Lets the component reuse the providers' checks at construction.
 */
export function plainOrUnknown(value: unknown): unknown {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) {
    return UNKNOWN_VALUE;
  }
  if (Array.isArray(value)) {
    return value.map(plainOrUnknown);
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainOrUnknown(item)]));
  }
  return value;
}
