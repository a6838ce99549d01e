import {
  type Policy,
  type PolicyResource,
  type PolicyResourceOptions,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidation,
  type StackValidationArgs,
  type StackValidationPolicy,
  unknownCheckingProxy,
} from "@pulumi/policy";
import type { RecordedResource } from "./pulumi-mocks";

/** A resource as a policy sees it: type token, logical name, properties, and what they were computed from. */
export interface ResourceUnderTest {
  /** Type token. */
  type: string;
  /** Logical name. */
  name: string;
  /** Properties (plain values: the engine hands secrets to policies unwrapped; {@link unknownString} where not known yet). */
  props: Record<string, any>;
  /** Logical names of the resources each top-level property was computed from, as the engine records them. */
  propertyDependencies?: Record<string, string[]>;
  /** Logical names of every resource this one depends on. */
  dependencies?: string[];
  /** Logical name of the parent. */
  parent?: string;
}

/** The engine's placeholder for a value not known during preview (@pulumi/policy proxy.js). */
export const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const urnOf = (r: { type: string; name: string }): string => `urn:pulumi:prod::agent-studio-voice::${r.type}::${r.name}`;

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
 * What a policy concluded: its violations (mandatory: the preview fails) and the checks it
 * deferred to the update (advisory notes). No violation is a pass.
 */
export interface Verdict {
  /** Mandatory violations, by message. */
  violations: string[];
  /** Advisory notes of checks deferred to the update. */
  deferred: string[];
  /** URN each violation names, in the order of `violations` (undefined: the resource analyzed). */
  urns: (string | undefined)[];
}

/** A fresh verdict and the `reportViolation` that fills it, taking both forms the policy server accepts. */
function recorder(): { verdict: Verdict; report: ReportViolation } {
  const verdict: Verdict = { violations: [], deferred: [], urns: [] };
  const report = (message: string | { message: string; urn?: string; enforcementLevel?: string }, urn?: string) => {
    if (typeof message === "object") {
      if (message.enforcementLevel === "advisory") verdict.deferred.push(message.message);
      else {
        verdict.violations.push(message.message);
        verdict.urns.push(message.urn);
      }
      return;
    }
    verdict.violations.push(message);
    verdict.urns.push(urn);
  };
  return { verdict, report: report as ReportViolation };
}

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

/**
 * Runs one resource validation as the engine's `Analyze` does. An unknown value the validation
 * reads without guarding throws, as it would in the engine (where it becomes "can't run policy").
 */
export async function resourceVerdict(validate: ResourceValidation, resource: ResourceUnderTest, config: object = {}): Promise<Verdict> {
  const { verdict, report } = recorder();
  await validate(resourceArgs(resource, config), report);
  return verdict;
}

/** Runs one resource validation and returns the (mandatory) violations it reported. */
export async function resourceViolations(validate: ResourceValidation, resource: ResourceUnderTest, config: object = {}): Promise<string[]> {
  return (await resourceVerdict(validate, resource, config)).violations;
}

/**
 * The resources as a stack validation sees them: parents, dependencies and property dependencies
 * resolved to the resource objects, as the policy server resolves the engine's URNs.
 */
export function policyResources(resources: readonly ResourceUnderTest[]): PolicyResource[] {
  const byName = new Map<string, PolicyResource>();
  const built = resources.map((resource) => {
    const policyResource: PolicyResource = {
      type: resource.type,
      name: resource.name,
      urn: urnOf(resource),
      props: unknownCheckingProxy(resource.props),
      opts: resource.parent === undefined ? noOptions : { ...noOptions, parent: urnOf({ type: "", name: resource.parent }) },
      dependencies: [],
      propertyDependencies: {},
      ...notThisClass,
    };
    byName.set(resource.name, policyResource);
    return policyResource;
  });
  const resolve = (names: readonly string[] = []) => names.flatMap((n) => byName.get(n) ?? []);
  resources.forEach((resource, i) => {
    built[i].dependencies = resolve(resource.dependencies);
    for (const [property, names] of Object.entries(resource.propertyDependencies ?? {})) built[i].propertyDependencies[property] = resolve(names);
    if (resource.parent !== undefined) built[i].parent = byName.get(resource.parent);
  });
  return built;
}

/** Runs one stack validation over `resources` as the engine's `AnalyzeStack` does. */
export async function stackVerdict(validate: StackValidation, resources: readonly ResourceUnderTest[], config: object = {}): Promise<Verdict> {
  const args: StackValidationArgs = {
    resources: policyResources(resources),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  const { verdict, report } = recorder();
  await validate(args, report);
  return verdict;
}

/** Runs one stack validation over `resources` and returns the (mandatory) violations with the URN each names. */
export async function stackViolations(
  validate: StackValidation,
  resources: readonly ResourceUnderTest[],
  config: object = {},
): Promise<{ message: string; urn?: string }[]> {
  const { violations, urns } = await stackVerdict(validate, resources, config);
  return violations.map((message, i) => ({ message, urn: urns[i] }));
}

/**
 * One policy's verdict on a whole stack, as a preview or update reaches it: its resource
 * validation on every resource (`Analyze`), then its stack validation over all (`AnalyzeStack`).
 */
export async function policyVerdict(policy: Policy, resources: readonly ResourceUnderTest[], config: object = {}): Promise<Verdict> {
  const total: Verdict = { violations: [], deferred: [], urns: [] };
  const add = (v: Verdict) => {
    total.violations.push(...v.violations);
    total.deferred.push(...v.deferred);
    total.urns.push(...v.urns);
  };
  const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
  for (const resource of resources) for (const validate of validations) add(await resourceVerdict(validate, resource, config));
  const validateStack = (policy as Partial<StackValidationPolicy>).validateStack;
  if (validateStack !== undefined) add(await stackVerdict(validateStack, resources, config));
  return total;
}

/** A resource the mock runtime recorded, as the engine would hand it to a policy. */
export function fromRecorded(recorded: RecordedResource): ResourceUnderTest {
  return { type: recorded.type, name: recorded.name, props: recorded.inputs };
}

/** A GCE firewall rule with the given allows and sources (ingress unless `direction` says otherwise). */
export function firewall(name: string, props: Record<string, any>): ResourceUnderTest {
  return { type: "gcp:compute/firewall:Firewall", name, props: { direction: "INGRESS", network: "vpc", ...props } };
}
