import * as pulumi from "@pulumi/pulumi";
import type { RawConfig } from "./field-reader";
import { formatProblems } from "./problems";
import type { StackConfigOf } from "./stack-config";
import { validateStackConfig } from "./validate";

/** The program's view of config: secrets as Outputs marked secret, so they stay secret in state. */
export type StackConfig = StackConfigOf<pulumi.Output<string>>;

// `isConfigSecret` is the SDK's own record of which keys `pulumi config set --secret` stored; it is
// marked internal, so it is reached through the runtime module rather than the public barrel.
const runtimeConfig: { isConfigSecret(key: string): boolean } = require("@pulumi/pulumi/runtime/config");

/** Reads every config value of the running stack, with the set of keys stored as secrets. */
export function readRawConfig(): RawConfig {
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter((k) => runtimeConfig.isConfigSecret(k)));
  return { values, secretKeys };
}

/**
 * Validates the running stack's config before any resource is declared. On any problem it stops
 * the program with one line per problem and no stack trace (`RunError`).
 */
export function loadStackConfig(): StackConfig {
  const stack = pulumi.getStack();
  const result = validateStackConfig(readRawConfig(), stack);
  if (!result.ok) {
    throw new pulumi.RunError(formatProblems(stack, result.problems));
  }
  const c = result.config;
  const twilioAuth: StackConfig["twilio"]["auth"] =
    c.twilio.auth.kind === "authToken"
      ? { kind: "authToken", authToken: pulumi.secret(c.twilio.auth.authToken) }
      : { kind: "apiKey", apiKeySid: c.twilio.auth.apiKeySid, apiKeySecret: pulumi.secret(c.twilio.auth.apiKeySecret) };
  return {
    ...c,
    livekit: { apiKey: c.livekit.apiKey, apiSecret: pulumi.secret(c.livekit.apiSecret) },
    twilio: { ...c.twilio, auth: twilioAuth },
    sip: { username: c.sip.username, password: pulumi.secret(c.sip.password) },
    ai: {
      ...(c.ai.openaiApiKey === undefined ? {} : { openaiApiKey: pulumi.secret(c.ai.openaiApiKey) }),
      ...(c.ai.deepgramApiKey === undefined ? {} : { deepgramApiKey: pulumi.secret(c.ai.deepgramApiKey) }),
    },
  };
}
