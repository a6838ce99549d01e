/**
 * Credential plumbing for the dynamic provider `configure` step. The Pulumi engine calls
 * `configure` once per provider process with the whole stack config (secrets decrypted), so
 * credentials never have to be captured in the serialized provider closure.
 * See node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js (`getProvider`).
 */
import type * as pulumi from "@pulumi/pulumi";

/** The config view a provider's `configure` receives (`pulumi.dynamic.Config`). */
export type ProviderConfig = pulumi.dynamic.Config;

/** How a config key is set, for the fix-it hint in error messages. */
export interface ConfigKeyHint {
  /** The key is a secret (`pulumi config set --secret`). Defaults to false. */
  secret?: boolean;
  /** An example value shown in the hint. Defaults to `<value>`. */
  example?: string;
}

/** The `pulumi config set` command that sets `key`. */
export function configSetCommand(key: string, hint: ConfigKeyHint = {}): string {
  const bareKey = key.includes(":") ? key.slice(key.indexOf(":") + 1) : key;
  return `pulumi config set ${hint.secret ? "--secret " : ""}${bareKey} ${hint.example ?? "<value>"}`;
}

/** Reads a non-empty config value or throws an error naming the key and the command that sets it. */
export function requireConfig(config: ProviderConfig, key: string, hint: ConfigKeyHint = {}): string {
  const value = config.get(key);
  if (value === undefined || value.trim() === "") {
    throw new Error(`Missing stack config "${key}": set it with \`${configSetCommand(key, hint)}\`.`);
  }
  return value;
}

/** Reads a config value, treating empty as absent. */
export function optionalConfig(config: ProviderConfig, key: string): string | undefined {
  const value = config.get(key);
  return value === undefined || value.trim() === "" ? undefined : value;
}

/**
 * A config view over a plain map, namespaced like the engine's (`project:key`), for calling
 * a provider's `configure` directly in tests and scripts.
 */
export function staticProviderConfig(values: Record<string, string>, project: string): ProviderConfig {
  const get = (key: string) => values[key.includes(":") ? key : `${project}:${key}`];
  return {
    get,
    require: (key: string) => {
      const value = get(key);
      if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
      return value;
    },
  };
}
