/**
 * Shared base for this project's Pulumi dynamic providers (Twilio, LiveKit).
 *
 * - {@link defineResource}: one declaration per resource kind (fields, what each change does,
 *   secrets, API calls) giving both its provider and its resource class.
 * - {@link defineProvider}: CRUD boilerplate — settings from `configure`, retried API calls,
 *   outputs echoing inputs, 404 on delete = done, 404 on read = gone, secret-free errors.
 * - {@link dynamicResourceClass}: a resource class with a distinct type token and secret outputs.
 * - {@link diffProperties}: diff naming replacing vs in-place properties.
 * - {@link withRetry} / {@link transientError} / {@link parseRetryAfter}: capped exponential
 *   backoff honouring `Retry-After`.
 * - {@link redact} / {@link safeError}: keep secrets out of messages and logs.
 * - {@link requireConfig} / {@link staticProviderConfig}: read credentials from stack config.
 * - {@link isUnknownValue}: recognise preview placeholders in `check`.
 */
export {
  defineProvider,
  isUnknownValue,
  UNKNOWN_VALUE,
  type DefinedProvider,
  type ProviderContext,
  type ProviderDefinition,
} from "./define-provider";
export { defineResource, type DefinedResource, type FieldChange, type ResourceDeclaration } from "./define-resource";
export { diffProperties, sameValue, type DiffPolicy, type NamedDiffResult } from "./diff";
export {
  dynamicResourceClass,
  type DynamicArgs,
  type DynamicResourceClass,
  type DynamicResourceInstance,
  type DynamicResourceSpec,
} from "./dynamic-resource";
export { httpStatusOf, isNotFoundError } from "./http-status";
export {
  configSetCommand,
  optionalConfig,
  requireConfig,
  staticProviderConfig,
  type ConfigKeyHint,
  type ProviderConfig,
} from "./provider-config";
export { REDACTED, redact, safeError, type SafeError } from "./redact";
export {
  backoffDelayMs,
  classifyTransient,
  defaultRetryPolicy,
  isRetriesExhaustedError,
  isTransientStatus,
  parseRetryAfter,
  retriesExhaustedError,
  transientError,
  withRetry,
  type RetriesExhaustedError,
  type TransientError,
  type RetryOptions,
  type RetryPolicy,
  type RetryVerdict,
} from "./retry";
