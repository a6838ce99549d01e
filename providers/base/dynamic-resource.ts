/**
 * Builds a dynamic resource class with its own type token
 * (`pulumi-nodejs:dynamic/<module>:<type>`, via `dynamic.Resource`'s module/type
 * parameters) instead of the shared `pulumi-nodejs:dynamic:Resource`, so state, previews
 * and policies can tell resource kinds apart.
 */
import * as pulumi from "@pulumi/pulumi";

/** Resource args: every input property may be an Output. */
export type DynamicArgs<Inputs> = {
  [K in keyof Inputs]: Inputs[K] extends readonly (infer E)[] | undefined
    ? pulumi.Input<readonly pulumi.Input<E>[]> | Extract<Inputs[K], undefined>
    : pulumi.Input<Inputs[K]>;
};

/** An instance of a class built by {@link dynamicResourceClass}: one Output per output property. */
export type DynamicResourceInstance<Outputs> = pulumi.dynamic.Resource & {
  readonly [K in keyof Outputs]-?: pulumi.Output<Outputs[K]>;
};

/** The constructor {@link dynamicResourceClass} returns. */
export interface DynamicResourceClass<Inputs, Outputs> {
  new (name: string, args: DynamicArgs<Inputs>, opts?: pulumi.CustomResourceOptions): DynamicResourceInstance<Outputs>;
  /** The full type token, e.g. `pulumi-nodejs:dynamic/twilio:Trunk`. */
  readonly typeToken: string;
}

/** What {@link dynamicResourceClass} needs. */
export interface DynamicResourceSpec<Outputs> {
  /** Module part of the type token, e.g. `twilio`. */
  module: string;
  /** Type part of the type token, e.g. `Trunk`. */
  type: string;
  /** The provider (usually from `defineProvider`). */
  provider: pulumi.dynamic.ResourceProvider;
  /** Every output property name, so each becomes an Output on the instance (including computed ones). */
  outputs: readonly (keyof Outputs & string)[];
  /** Output properties to keep secret in state and previews (passed as `additionalSecretOutputs`). */
  secretOutputs?: readonly (keyof Outputs & string)[];
}

/** The type token `dynamic.Resource` registers for a module/type pair. */
function dynamicTypeToken(module: string, type: string): string {
  return `pulumi-nodejs:dynamic/${module}:${type}`;
}

/**
 * Returns a resource class for one dynamic provider. Output properties are declared by
 * seeding them as undefined props (how `CustomResource` learns which Outputs to create);
 * secret outputs are added to `additionalSecretOutputs` on every instance.
 */
export function dynamicResourceClass<Inputs, Outputs>(spec: DynamicResourceSpec<Outputs>): DynamicResourceClass<Inputs, Outputs> {
  const secretOutputs = spec.secretOutputs ?? [];
  class DynamicResourceOfKind extends pulumi.dynamic.Resource {
    static readonly typeToken = dynamicTypeToken(spec.module, spec.type);

    constructor(name: string, args: DynamicArgs<Inputs>, opts: pulumi.CustomResourceOptions = {}) {
      const props: Record<string, unknown> = Object.fromEntries(spec.outputs.map((key) => [key, undefined]));
      Object.assign(props, args);
      const additionalSecretOutputs = [...(opts.additionalSecretOutputs ?? []), ...secretOutputs];
      super(spec.provider, name, props, { ...opts, additionalSecretOutputs }, spec.module, spec.type);
    }
  }
  return DynamicResourceOfKind as unknown as DynamicResourceClass<Inputs, Outputs>;
}
