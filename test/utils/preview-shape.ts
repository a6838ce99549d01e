import * as pulumi from "@pulumi/pulumi";
import type { OfflineRun } from "../../scripts/plan/run-offline";
import { stackType } from "../../policy/no-secret-stack-outputs";
import { type ResourceUnderTest, unknownString } from "./policy-args";
import { defaultComputedOutputs, type RecordedResource } from "./pulumi-mocks";

// Outputs the engine fixes when it checks a resource's inputs (autonames), so a preview knows them.
const knownAtCheck: Record<string, ReadonlySet<string>> = { "gcp:compute/instance:Instance": new Set(["name"]) };

/** One value a resource computes (an ID or output): the update knows it, a fresh stack's preview does not. */
interface ComputedValue {
  value: string;
  producer: string;
}

function stringsWithin(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsWithin);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(stringsWithin);
  return [];
}

/** Every value the mocks computed for a resource: its ID and the outputs a real provider computes. */
function computedValues(run: OfflineRun): ComputedValue[] {
  const found: ComputedValue[] = [];
  for (const r of run.monitor.resources.filter((r) => r.custom)) {
    if (r.id !== "") found.push({ value: r.id, producer: r.name });
    const outputs = defaultComputedOutputs[r.type]?.(r.inputs, r.name) ?? {};
    for (const [key, value] of Object.entries(outputs)) {
      if (knownAtCheck[r.type]?.has(key)) continue;
      for (const text of stringsWithin(value)) found.push({ value: text, producer: r.name });
    }
  }
  // The VM's SSH host key is read from the guest attributes of the VM the update creates.
  const vm = run.monitor.resources.find((r) => r.type === "gcp:compute/instance:Instance");
  const hostKey = run.outputs.sshHostKey;
  if (vm !== undefined && typeof hostKey === "string") found.push({ value: hostKey, producer: vm.name });
  return found.filter((c) => c.value.length >= 8);
}

/**
 * Replaces every string that contains a computed value by the unknown sentinel (the engine leaves
 * a whole interpolated string unknown), collecting the resources it came from.
 */
function unknownWhereComputed(value: unknown, computed: readonly ComputedValue[], sources: Set<string>): unknown {
  if (typeof value === "string") {
    const from = computed.filter((c) => value.includes(c.value));
    for (const c of from) sources.add(c.producer);
    return from.length > 0 ? unknownString : value;
  }
  if (Array.isArray(value)) return value.map((v) => unknownWhereComputed(v, computed, sources));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unknownWhereComputed(v, computed, sources)]));
  }
  return value;
}

function previewResource(r: RecordedResource, allComputed: readonly ComputedValue[], run: OfflineRun): ResourceUnderTest {
  // A resource's own outputs echo some of its inputs (a phone number's E.164): those inputs stay known.
  const computed = allComputed.filter((c) => c.producer !== r.name);
  const props: Record<string, any> = {};
  const propertyDependencies: Record<string, string[]> = {};
  // The engine hands analyzers no internal properties (`__provider`, the dynamic provider's code).
  for (const [key, value] of Object.entries(r.inputs).filter(([k]) => !k.startsWith("__"))) {
    const sources = new Set<string>();
    props[key] = unknownWhereComputed(value, computed, sources);
    if (sources.size > 0) propertyDependencies[key] = [...sources];
  }
  // A resource the update creates reports its computed outputs as unknown.
  for (const key of Object.keys(defaultComputedOutputs[r.type]?.(r.inputs, r.name) ?? {})) {
    if (!knownAtCheck[r.type]?.has(key) && !(key in props)) props[key] = unknownString;
  }
  const dependencies = [...new Set([...(run.dependsOn.get(r.name) ?? []), ...Object.values(propertyDependencies).flat()])];
  return { type: r.type, name: r.name, props, propertyDependencies, dependencies, parent: run.parents.get(r.name) };
}

/**
 * The resources of a program run as a fresh stack's `pulumi preview` hands them to the policy pack:
 * every ID and provider-computed output of a resource the update creates is unknown (the service
 * account's email, the deploy key, the static IP, the dynamic resources' IDs, the VM's host key),
 * and so is every string computed from one; each property records the resources it was computed
 * from, as the engine's property dependencies do. The stack's outputs come last, on the root
 * resource. Known at preview as in the engine: config, literals and autonames. Hashes of content
 * that holds a computed value stay known here (the real engine leaves them unknown too); no policy
 * reads them.
 */
export function previewShaped(run: OfflineRun, stackName = "agent-studio-voice-prod"): ResourceUnderTest[] {
  const computed = computedValues(run);
  const resources = run.monitor.resources.filter((r) => r.type !== stackType).map((r) => previewResource(r, computed, run));
  const outputs = unknownWhereComputed(run.outputs, computed, new Set()) as Record<string, any>;
  return [...resources, { type: stackType, name: stackName, props: outputs }];
}

/** The resources of a program run as the update's stack analysis sees them: every value known. */
export function afterUpdate(run: OfflineRun, stackName = "agent-studio-voice-prod"): ResourceUnderTest[] {
  const resources = run.monitor.resources
    .filter((r) => r.type !== stackType)
    .map((r) => ({
      type: r.type,
      name: r.name,
      props: { ...Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !k.startsWith("__"))), ...(defaultComputedOutputs[r.type]?.(r.inputs, r.name) ?? {}) },
      dependencies: run.dependsOn.get(r.name) ?? [],
      parent: run.parents.get(r.name),
    }));
  return [...resources, { type: stackType, name: stackName, props: run.outputs as Record<string, any> }];
}

/** A value the mock runtime recorded, with its unknowns as the engine's sentinel. */
function asWire(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return unknownString;
  if (Array.isArray(value)) return value.map(asWire);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asWire(v)]));
  return value;
}

/**
 * The resources of a run of the program in the mock runtime's preview mode, as the engine hands
 * them to the policy pack: the unknowns are those the program itself left (an apply that did not
 * run, an output of a resource being created), and the computed outputs of what the update
 * creates are unknown. Two things the mock runtime does not report are taken from `model`
 * ({@link previewShaped} of the same config's update run): each property's dependencies (mocks
 * are not told them) and the stack's outputs.
 */
export function fromPreviewRun(preview: OfflineRun, model: readonly ResourceUnderTest[]): ResourceUnderTest[] {
  const modelled = new Map(model.map((r) => [r.name, r]));
  const resources = preview.monitor.resources
    .filter((r) => r.type !== stackType)
    .map((r): ResourceUnderTest => {
      const props = asWire(Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !k.startsWith("__")))) as Record<string, any>;
      if (r.id === "") {
        for (const key of Object.keys(defaultComputedOutputs[r.type]?.(r.inputs, r.name) ?? {})) {
          if (!knownAtCheck[r.type]?.has(key) && !(key in props)) props[key] = unknownString;
        }
      }
      const { propertyDependencies, dependencies, parent } = modelled.get(r.name) ?? {};
      return { type: r.type, name: r.name, props, propertyDependencies, dependencies, parent };
    });
  const stack = model.find((r) => r.type === stackType);
  return stack === undefined ? resources : [...resources, stack];
}
