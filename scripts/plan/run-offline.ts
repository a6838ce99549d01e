import * as pulumi from "@pulumi/pulumi";
import type { RawConfig } from "../../components/config";
import { MockMonitor, type PreviewPlan } from "./mock-monitor";

/** The program as the mock runtime saw it. */
export interface OfflineRun {
  /** Every resource registered, in order. */
  monitor: MockMonitor;
  /** Parent's logical name of each resource that has one (by child name). */
  parents: Map<string, string>;
  /** Logical names of the resources each resource was told to wait for (`dependsOn`), by name. */
  dependsOn: Map<string, string[]>;
  /** Logical names of the resources replaced delete-first (`deleteBeforeReplace`). */
  deleteBeforeReplace: Set<string>;
  /** The value whose change replaces a resource (`replacementTrigger`), by name, as the program gave it. */
  replacementTriggers: Map<string, pulumi.Input<unknown>>;
  /** Stack outputs, resolved. */
  outputs: Record<string, unknown>;
}

/** How {@link runOffline} runs the program. */
export interface OfflineOptions {
  /**
   * Run it as `pulumi preview` would, with the outputs of what this update creates or replaces
   * unknown. Defaults to an update (`pulumi up`), where every output is known.
   */
  preview?: PreviewPlan;
}

/**
 * Runs the whole program (index.ts) in this process under Pulumi's mock runtime with the given
 * config: no CLI, no credentials, no network. Must be called once per process, as the program
 * module is evaluated once.
 */
export async function runOffline(project: string, stack: string, raw: RawConfig, options: OfflineOptions = {}): Promise<OfflineRun> {
  pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
  const monitor = new MockMonitor({ preview: options.preview });
  await pulumi.runtime.setMocks(monitor, project, stack, options.preview !== undefined);
  const parents = new Map<string, string>();
  const dependsOn = new Map<string, string[]>();
  const deleteBeforeReplace = new Set<string>();
  const replacementTriggers = new Map<string, pulumi.Input<unknown>>();
  const names = new WeakMap<pulumi.Resource, string>();
  const deferredDependencies: Promise<void>[] = [];
  let failure: unknown;
  const outputs = await pulumi.runtime.runInPulumiStack(async () => {
    // Legacy stack transformations run in-process, so they see each resource's parent and
    // dependencies even under mocks (which receive neither).
    pulumi.runtime.registerStackTransformation((args) => {
      names.set(args.resource, args.name);
      const parentName = args.opts.parent ? names.get(args.opts.parent) : undefined;
      if (parentName !== undefined) parents.set(args.name, parentName);
      const waitsFor = [args.opts.dependsOn ?? []].flat().flatMap((d) => {
        const dependency = d instanceof pulumi.Resource ? names.get(d) : undefined;
        return dependency === undefined ? [] : [dependency];
      });
      if (waitsFor.length > 0) dependsOn.set(args.name, waitsFor);
      // A dependency given as a promise (a resource the program declares later) is recorded once it resolves.
      for (const d of [args.opts.dependsOn ?? []].flat()) {
        if (!(d instanceof Promise)) continue;
        deferredDependencies.push(
          d.then((resource: unknown) => {
            const dependency = resource instanceof pulumi.Resource ? names.get(resource) : undefined;
            if (dependency !== undefined) dependsOn.set(args.name, [...(dependsOn.get(args.name) ?? []), dependency]);
          }),
        );
      }
      if ((args.opts as pulumi.CustomResourceOptions).deleteBeforeReplace) deleteBeforeReplace.add(args.name);
      if (args.opts.replacementTrigger !== undefined) replacementTriggers.set(args.name, args.opts.replacementTrigger);
      return undefined;
    });
    try {
      const program: Record<string, unknown> = await import("../../index");
      return { ...program };
    } catch (error) {
      // Thrown inside the stack's initializer, the program's error would otherwise surface as an
      // unhandled rejection; it is handed to the caller instead.
      failure = error;
      return {};
    }
  });
  // Stack outputs can resolve before every resource is registered (registrations waiting on
  // applies and invokes); disconnecting waits for all outstanding RPCs first.
  await pulumi.runtime.disconnect();
  await Promise.all(deferredDependencies);
  if (failure !== undefined) throw failure;
  return { monitor, parents, dependsOn, deleteBeforeReplace, replacementTriggers, outputs: outputs ?? {} };
}
