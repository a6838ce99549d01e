/**
 * One declaration per resource kind: its fields and what a change to each one does, its
 * secrets and its API calls. From it come the dynamic provider ({@link defineProvider}) and the
 * resource class ({@link dynamicResourceClass}), so the two never disagree on the fields.
 */
import { defineProvider, type DefinedProvider, type ProviderDefinition } from "./define-provider";
import { diffProperties, type DiffPolicy, type NamedDiffResult } from "./diff";
import { dynamicResourceClass, type DynamicResourceClass } from "./dynamic-resource";

/** What a change to one input field does: `replaces` recreates the resource, `in place` updates the live one. */
export type FieldChange = "replaces" | "in place";

/** A resource kind, as {@link defineResource} takes it. */
export interface ResourceDeclaration<Settings, Inputs extends object, Computed extends object>
  extends Omit<ProviderDefinition<Settings, Inputs, Computed>, "secrets" | "diffPolicy" | "diff"> {
  /** Module part of the type token `pulumi-nodejs:dynamic/<module>:<type>` (part of every stack's state: never rename). */
  module: string;
  /** Type part of the type token (part of every stack's state: never rename). */
  type: string;
  /** Every input field, in the order the outputs list them, and what a change to it does. */
  fields: { readonly [K in keyof Inputs & string]-?: FieldChange };
  /** Outputs the API computes besides the echoed inputs. Defaults to none. */
  computed?: readonly (keyof Computed & string)[];
  /** Fields kept secret in state and previews, and scrubbed from every error and log line. Defaults to none. */
  secret?: readonly (keyof (Inputs & Computed) & string)[];
  /** Delete the old resource before creating its replacement (for names the API will not let two resources share). Defaults to false. */
  deleteBeforeReplace?: boolean;
  /** Credentials in the settings, scrubbed from every error and log line. */
  settingsSecrets(settings: Settings | undefined): (string | undefined)[];
  /** Refines the diff the fields declare, for changes they cannot say (e.g. a secret tracked by its hash). Defaults to that diff. */
  diff?(olds: Inputs & Computed, news: Inputs, declared: NamedDiffResult): NamedDiffResult;
}

/** The provider and the resource class of one resource kind. */
export interface DefinedResource<Inputs, Outputs> {
  /** The dynamic provider; its CRUD methods can be called directly (tests, scripts). */
  provider: DefinedProvider<Inputs, Outputs>;
  /** The resource class, registering `pulumi-nodejs:dynamic/<module>:<type>`. */
  Resource: DynamicResourceClass<Inputs, Outputs>;
}

/** Builds the provider and the resource class of one resource kind from its declaration. */
export function defineResource<Settings, Inputs extends object, Computed extends object>(
  declaration: ResourceDeclaration<Settings, Inputs, Computed>,
): DefinedResource<Inputs, Inputs & Computed> {
  const { module, type, fields, computed = [], secret = [], deleteBeforeReplace, settingsSecrets, diff: refineDiff, ...crud } = declaration;
  const inputNames = Object.keys(fields) as (keyof Inputs & string)[];
  const policy: DiffPolicy<Inputs> = {
    replaceOn: inputNames.filter((name) => fields[name] === "replaces"),
    updateInPlace: inputNames.filter((name) => fields[name] === "in place"),
    deleteBeforeReplace,
  };
  // The provider is serialized by Pulumi: these closures capture the declaration's plain parts only,
  // under names no method of the provider has (the serializer gives each method a function of its name).
  const provider = defineProvider<Settings, Inputs, Computed>({
    ...crud,
    diffPolicy: policy,
    secrets: (settings, props) => [...settingsSecrets(settings), ...secret.map((name) => props[name] as string | undefined)],
    diff: refineDiff && ((olds, news) => refineDiff(olds, news, diffProperties<Inputs>(olds, news, policy))),
  });
  const Resource = dynamicResourceClass<Inputs, Inputs & Computed>({
    module,
    type,
    provider,
    outputs: [...inputNames, ...computed],
    secretOutputs: secret,
  });
  return { provider, Resource };
}
