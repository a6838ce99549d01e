/**
 * The Twilio flavour of the shared resource declaration: credentials from stack config, the auth
 * secret redacted everywhere, SDK errors turned into messages that carry Twilio's error code and
 * docs link, and input failures named after the property.
 */
import type * as pulumi from "@pulumi/pulumi";
import { defineResource, type DefinedResource, type ProviderContext, type ResourceDeclaration } from "../base";
import { connectTwilio, type TwilioSettings } from "./settings";

/** A Twilio resource kind: the shared declaration minus what this module supplies. */
type TwilioResourceDeclaration<Inputs extends object, Computed extends object> = Omit<
  ResourceDeclaration<TwilioSettings, Inputs, Computed>,
  "module" | "connect" | "settingsSecrets"
>;

/** Builds a Twilio resource's provider and class (`pulumi-nodejs:dynamic/twilio:<type>`). */
export function defineTwilioResource<Inputs extends object, Computed extends object>(
  declaration: TwilioResourceDeclaration<Inputs, Computed>,
): DefinedResource<Inputs, Inputs & Computed> {
  return defineResource<TwilioSettings, Inputs, Computed>({
    ...declaration,
    module: "twilio",
    connect: connectTwilio,
    settingsSecrets: (settings) => [settings?.authSecret],
  });
}

/** One check failure per property whose rule found a problem, the reason led by the property's name. */
export function propertyProblems(problems: Record<string, string | undefined>): pulumi.dynamic.CheckFailure[] {
  return Object.entries(problems).flatMap(([property, problem]) => (problem ? [{ property, reason: `${property} ${problem}` }] : []));
}

/**
 * Turns a twilio RestException into an Error whose message carries the HTTP status, Twilio's
 * error code and its docs link (the SDK's message alone is often just Twilio's sentence);
 * keeps `status` so 404 handling still works. Other errors pass through.
 */
function describeTwilioError(error: unknown): unknown {
  const e = error as { status?: unknown; code?: unknown; moreInfo?: unknown; message?: unknown };
  if (typeof e?.status !== "number" || e.code === undefined) return error;
  const more = typeof e.moreInfo === "string" && e.moreInfo ? ` (see ${e.moreInfo})` : "";
  return Object.assign(new Error(`HTTP ${e.status}, Twilio error ${String(e.code)}: ${String(e.message)}${more}`), { status: e.status });
}

/** Runs one Twilio SDK call with retries, translating its errors with {@link describeTwilioError}. */
export function twilioCall<T>(ctx: ProviderContext<TwilioSettings>, action: string, operation: (settings: TwilioSettings) => Promise<T>): Promise<T> {
  return ctx.call(action, async () => {
    try {
      return await operation(ctx.settings);
    } catch (error) {
      throw describeTwilioError(error);
    }
  });
}
