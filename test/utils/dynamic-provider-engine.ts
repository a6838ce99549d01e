import type * as pulumi from "@pulumi/pulumi";

/**
 * A miniature of what the Pulumi engine does with a dynamic provider during `pulumi up`,
 * for integration tests that drive providers directly (there is no Pulumi CLI here):
 * check → diff against prior state → create, update or replace (create-then-delete, or
 * delete-then-create when the diff asks).
 */

/** The subset of a dynamic provider the engine calls. */
export interface EngineProvider<Inputs, Outputs> {
  check?: (olds: Inputs, news: Inputs) => Promise<pulumi.dynamic.CheckResult<Inputs>>;
  diff?: (id: string, olds: Outputs, news: Inputs) => Promise<pulumi.dynamic.DiffResult>;
  create: (inputs: Inputs) => Promise<pulumi.dynamic.CreateResult<Outputs>>;
  update?: (id: string, olds: Outputs, news: Inputs) => Promise<pulumi.dynamic.UpdateResult<Outputs>>;
  delete?: (id: string, props: Outputs) => Promise<void>;
}

/** A resource as state records it. */
export interface ResourceState<Inputs, Outputs> {
  id: string;
  inputs: Inputs;
  outputs: Outputs;
}

/** What {@link applyResource} did. */
export type ApplyAction = "create" | "update" | "replace" | "same";

/** The result of applying one resource. */
export interface ApplyResult<Inputs, Outputs> {
  state: ResourceState<Inputs, Outputs>;
  action: ApplyAction;
  diff?: pulumi.dynamic.DiffResult;
}

/** Runs `check` and throws the engine-style message listing every failure. */
export async function checkInputs<Inputs, Outputs>(provider: EngineProvider<Inputs, Outputs>, olds: Inputs | undefined, news: Inputs): Promise<Inputs> {
  if (!provider.check) return news;
  const result = await provider.check((olds ?? {}) as Inputs, news);
  if (result.failures && result.failures.length > 0) {
    throw new Error(`check failed: ${result.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
  return result.inputs ?? news;
}

/** Applies desired inputs to a resource, as `pulumi up` would. */
export async function applyResource<Inputs, Outputs>(
  provider: EngineProvider<Inputs, Outputs>,
  prior: ResourceState<Inputs, Outputs> | undefined,
  desired: Inputs,
): Promise<ApplyResult<Inputs, Outputs>> {
  const inputs = await checkInputs(provider, prior?.inputs, desired);
  const create = async (): Promise<ResourceState<Inputs, Outputs>> => {
    const created = await provider.create(inputs);
    return { id: created.id, inputs, outputs: created.outs as Outputs };
  };
  if (!prior) return { state: await create(), action: "create" };
  const diff = (await provider.diff?.(prior.id, prior.outputs, inputs)) ?? { changes: true };
  if (!diff.changes) return { state: { ...prior, inputs }, action: "same", diff };
  if (diff.replaces && diff.replaces.length > 0) {
    if (diff.deleteBeforeReplace) {
      await provider.delete?.(prior.id, prior.outputs);
      return { state: await create(), action: "replace", diff };
    }
    const state = await create();
    await provider.delete?.(prior.id, prior.outputs);
    return { state, action: "replace", diff };
  }
  const updated = await provider.update!(prior.id, prior.outputs, inputs);
  return { state: { id: prior.id, inputs, outputs: updated.outs as Outputs }, action: "update", diff };
}
