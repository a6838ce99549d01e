import * as pulumi from "@pulumi/pulumi";
import { configFieldList } from "./fields";
import { formatProblems, type RawConfig } from "./field-reader";
import type { StackConfigOf } from "./stack-config";
import { validateStackConfig } from "./validate";

/** The program's view of config: secrets as Outputs marked secret, so they stay secret in state. */
export type StackConfig = StackConfigOf<pulumi.Output<string>>;

// `isConfigSecret` is the SDK's own record of which keys `pulumi config set --secret` stored; it is
// marked internal, so it is reached through the runtime module rather than the public barrel.
const runtimeConfig: { isConfigSecret(key: string): boolean } = require("@pulumi/pulumi/runtime/config");

/** Reads every config value of the running stack, with the set of keys stored as secrets. */
function readRawConfig(): RawConfig {
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter((k) => runtimeConfig.isConfigSecret(k)));
  return { values, secretKeys };
}

/**
 * Validates the running stack's config before any resource is declared. On any problem it stops
 * the program with one line per problem and no stack trace (`RunError`). Every value a secret key
 * of the table gave becomes a secret Output.
 */
export function loadStackConfig(): StackConfig {
  const stack = pulumi.getStack();
  const result = validateStackConfig(readRawConfig(), stack);
  if (!result.ok) {
    throw new pulumi.RunError(formatProblems(stack, result.problems));
  }
  const config = configFieldList.filter((f) => f.secret).reduce((c, f) => withSecretAt(c, f.at.split(".")), result.config as unknown as Config);
  return config as unknown as StackConfig;
}

type Config = Record<string, unknown>;

/** A copy of `node` whose value at `path`, when there is one, is a secret Output. */
function withSecretAt(node: Config, path: readonly string[]): Config {
  const [name, ...rest] = path;
  if (node[name] === undefined) return node;
  return { ...node, [name]: rest.length === 0 ? pulumi.secret(node[name] as string) : withSecretAt(node[name] as Config, rest) };
}
