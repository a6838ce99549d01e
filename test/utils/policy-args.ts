import {
  type PolicyResource,
  type PolicyResourceOptions,
  type ResourceValidation,
  type ResourceValidationArgs,
  type StackValidation,
  type StackValidationArgs,
  unknownCheckingProxy,
} from "@pulumi/policy";
import type { RecordedResource } from "./pulumi-mocks";

/** A resource as a policy sees it: type token, logical name, input properties. */
export interface ResourceUnderTest {
  /** Type token. */
  type: string;
  /** Logical name. */
  name: string;
  /** Input properties (plain values: the engine hands secrets to policies unwrapped). */
  props: Record<string, any>;
}

/** The engine's placeholder for a string not known during preview (@pulumi/policy proxy.js). */
export const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const urnOf = (r: ResourceUnderTest): string => `urn:pulumi:prod::agent-studio-voice::${r.type}::${r.name}`;

const noOptions: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const notApplicable = (reason?: string): never => {
  throw new Error(`policy not applicable: ${reason ?? ""}`);
};

// Policies here match on type tokens, never on SDK classes, so class checks answer "no".
const notThisClass = { isType: () => false, asType: () => undefined } as const;

/**
 * The argument bag the policy engine builds for one resource: props wrapped in the same
 * unknown-checking proxy, policy config as `getConfig` returns it.
 */
export function resourceArgs(resource: ResourceUnderTest, config: object = {}): ResourceValidationArgs {
  return {
    type: resource.type,
    name: resource.name,
    urn: urnOf(resource),
    props: unknownCheckingProxy(resource.props),
    opts: noOptions,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable,
    ...notThisClass,
  };
}

/** Runs one resource validation and returns the violations it reported. */
export async function resourceViolations(validate: ResourceValidation, resource: ResourceUnderTest, config: object = {}): Promise<string[]> {
  const violations: string[] = [];
  await validate(resourceArgs(resource, config), (message) => violations.push(message));
  return violations;
}

/** A resource as a stack validation sees it. */
export function policyResource(resource: ResourceUnderTest): PolicyResource {
  return {
    type: resource.type,
    name: resource.name,
    urn: urnOf(resource),
    props: unknownCheckingProxy(resource.props),
    opts: noOptions,
    dependencies: [],
    propertyDependencies: {},
    ...notThisClass,
  };
}

/** Runs one stack validation over `resources` and returns the violations with the URN each names. */
export async function stackViolations(
  validate: StackValidation,
  resources: readonly ResourceUnderTest[],
  config: object = {},
): Promise<{ message: string; urn?: string }[]> {
  const args: StackValidationArgs = {
    resources: resources.map(policyResource),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  const violations: { message: string; urn?: string }[] = [];
  await validate(args, (message, urn) => violations.push({ message, urn }));
  return violations;
}

/** A resource the mock runtime recorded, as the engine would hand it to a policy. */
export function fromRecorded(recorded: RecordedResource): ResourceUnderTest {
  return { type: recorded.type, name: recorded.name, props: recorded.inputs };
}

/** A GCE firewall rule with the given allows and sources (ingress unless `direction` says otherwise). */
export function firewall(name: string, props: Record<string, any>): ResourceUnderTest {
  return { type: "gcp:compute/firewall:Firewall", name, props: { direction: "INGRESS", network: "vpc", ...props } };
}
