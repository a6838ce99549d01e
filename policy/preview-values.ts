import { type PolicyResource, type ReportViolation, UnknownValueError } from "@pulumi/policy";

/**
 * Stands for a value the engine does not know yet. During a preview, every output of a resource
 * the update creates or replaces is unknown (an ID, a generated key, a service account's email),
 * and so is every value computed from one; the policy proxy throws when such a value is read.
 */
export const unknown: unique symbol = Symbol("unknown until the update");

/** Type of {@link unknown}. */
export type Unknown = typeof unknown;

/** `container[key]`, or {@link unknown} when the engine left it unknown; undefined when `container` is no object. */
export function read(container: unknown, key: string | number): unknown {
  if (typeof container !== "object" || container === null) return undefined;
  try {
    return (container as Record<string | number, unknown>)[key];
  } catch (error) {
    if (error instanceof UnknownValueError) return unknown;
    throw error;
  }
}

/** The entries of an object (none for anything else), unknown values as {@link unknown}. */
export function entriesOf(container: unknown): [string, unknown][] {
  if (typeof container !== "object" || container === null || Array.isArray(container)) return [];
  return Object.keys(container).map((key) => [key, read(container, key)]);
}

/** The items of an array, unknown ones as {@link unknown}; undefined when `value` is no array. */
export function itemsOf(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return Array.from({ length: value.length }, (_v, i) => read(value, i));
}

/**
 * The resources a top-level property's value was computed from, as the engine records them for a
 * stack validation (`propertyDependencies`). Known even when the value is not: this is what lets a
 * policy judge at preview where an unknown value comes from.
 */
export function sourcesOf(resource: PolicyResource, property: string): PolicyResource[] {
  return resource.propertyDependencies[property] ?? [];
}

/** `type name` of each resource, for messages: `tls:index/privateKey:PrivateKey voice-host-deploy-key`. */
export function describeResources(resources: readonly PolicyResource[]): string {
  return resources.length === 0 ? "values not known until the update" : resources.map((r) => `${r.type} ${r.name}`).join(", ");
}

/** Where a check deferred to the update is reported: advisory, so it informs without failing the preview. */
interface DeferredDiagnostic {
  message: string;
  urn?: string;
  enforcementLevel: "advisory";
}

/**
 * Reports a check that cannot be made before the update, because the value it reads is not known
 * at preview, as an advisory diagnostic beginning "Deferred to the update:". It never fails the
 * preview; the same policy checks the value once the update knows it. Uses the object form of
 * `reportViolation`, which @pulumi/policy 1.21 accepts (pulumi/pulumi-policy#424) though its type
 * declares only the string form; the pack-server test checks the engine receives it as advisory.
 */
export function reportDeferred(reportViolation: ReportViolation, message: string, urn?: string): void {
  const report = reportViolation as unknown as (diagnostic: DeferredDiagnostic) => void;
  report({ message: `Deferred to the update: ${message}`, ...(urn !== undefined && { urn }), enforcementLevel: "advisory" });
}
