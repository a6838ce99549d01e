/**
 * The Twilio flavour of the shared provider base: credentials from stack config, the auth
 * secret redacted everywhere, and SDK errors turned into messages that carry Twilio's error
 * code and docs link.
 */
import { defineProvider, type DefinedProvider, type ProviderContext, type ProviderDefinition } from "../base";
import { connectTwilio, type TwilioSettings } from "./settings";

/** Module part of every Twilio resource's type token (`pulumi-nodejs:dynamic/twilio:<Type>`). */
export const TWILIO_MODULE = "twilio";

/** A Twilio provider definition: the base definition minus what this module supplies. */
export type TwilioProviderDefinition<Inputs extends object, Computed extends object> = Omit<
  ProviderDefinition<TwilioSettings, Inputs, Computed>,
  "connect" | "secrets"
> & {
  /** Secret input/output values of this resource (e.g. a SIP password). Defaults to none. */
  secretProps?: (props: Partial<Inputs & Computed>) => (string | undefined)[];
};

/** Builds a Twilio dynamic provider from a definition. */
export function defineTwilioProvider<Inputs extends object, Computed extends object>(
  definition: TwilioProviderDefinition<Inputs, Computed>,
): DefinedProvider<Inputs, Inputs & Computed> {
  const { secretProps, ...rest } = definition;
  return defineProvider<TwilioSettings, Inputs, Computed>({
    ...rest,
    connect: connectTwilio,
    secrets: (settings, props) => [settings?.authSecret, ...(secretProps?.(props) ?? [])],
  });
}

/**
 * Turns a twilio RestException into an Error whose message carries the HTTP status, Twilio's
 * error code and its docs link (the SDK's message alone is often just Twilio's sentence);
 * keeps `status` so 404 handling still works. Other errors pass through.
 */
export function describeTwilioError(error: unknown): unknown {
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
