/**
 * Retry with capped exponential backoff for transient API failures (HTTP 429 and 5xx),
 * honouring the server's `Retry-After` when it sends one.
 *
 * Runs inside dynamic providers, so it imports nothing at run time: the closure serializer
 * captures local modules by value and this one must stay self-contained.
 */
import { httpStatusOf } from "./http-status";

/** How many times and how long to retry one API call. */
export interface RetryPolicy {
  /** Total attempts including the first. Defaults to 5. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each attempt after. Defaults to 500 ms. */
  baseDelayMs: number;
  /** Cap on the computed exponential delay. Defaults to 8000 ms. */
  maxDelayMs: number;
  /** Cap on a server-sent `Retry-After`, so a hostile or broken header cannot stall a deploy. Defaults to 30000 ms. */
  maxRetryAfterMs: number;
  /** Waits `ms` milliseconds. Defaults to `setTimeout`; tests pass a recorder. */
  sleep: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1). Defaults to `Math.random`. */
  random: () => number;
}

/** The default policy; every field can be overridden per call. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

// These errors are plain `Error` objects with extra fields rather than `class … extends Error`:
// Pulumi's closure serializer rewrites a subclass's `super(message)` into `Error.call(this, message)`,
// which leaves `message` empty in the deployed provider, and the engine reports failures by message.

/**
 * A failure worth retrying, raised by an HTTP client seam that can see response headers
 * (the SDK's own exception types usually drop `Retry-After`).
 */
export interface TransientError extends Error {
  /** Always `TransientError`. */
  name: "TransientError";
  /** HTTP status of the failed response (429 or 5xx). */
  status: number;
  /** Server-requested wait, from `Retry-After`, when present. */
  retryAfterMs: number | undefined;
}

/** Creates a {@link TransientError}. */
export function transientError(status: number, detail: string, retryAfterMs?: number): TransientError {
  const error = new Error(`HTTP ${status}${detail ? ` (${detail})` : ""}`);
  return Object.assign(error, { name: "TransientError" as const, status, retryAfterMs });
}

/** True for errors made by {@link transientError}. */
function isTransientError(error: unknown): error is TransientError {
  return errorNamed(error, "TransientError");
}

/** Thrown once every attempt failed transiently; `message` names the action, the attempts and the last failure. */
export interface RetriesExhaustedError extends Error {
  /** Always `RetriesExhaustedError`. */
  name: "RetriesExhaustedError";
  /** HTTP status of the last failure, when known. */
  status: number | undefined;
  /** Attempts made. */
  attempts: number;
}

/** Creates a {@link RetriesExhaustedError}. */
export function retriesExhaustedError(action: string, attempts: number, last: unknown): RetriesExhaustedError {
  const lastMessage = last instanceof Error ? last.message : String(last);
  const error = new Error(
    `${action} failed after ${attempts} attempts; last failure: ${lastMessage}. ` +
      "The API is rate limiting or unavailable; wait and run the deployment again.",
  );
  return Object.assign(error, { name: "RetriesExhaustedError" as const, status: httpStatusOf(last), attempts });
}

/** True for errors made by {@link retriesExhaustedError}. */
export function isRetriesExhaustedError(error: unknown): error is RetriesExhaustedError {
  return errorNamed(error, "RetriesExhaustedError");
}

// By name, not `instanceof`: an error made in another realm (a revived closure, a vm context) is
// not an instance of this realm's Error.
function errorNamed(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === name;
}

/** True for statuses worth retrying: 429 Too Many Requests and any 5xx. */
export function isTransientStatus(status: number | undefined): boolean {
  return status === 429 || (status !== undefined && status >= 500 && status <= 599);
}

/**
 * Parses an HTTP `Retry-After` value (delta-seconds or an HTTP date) into milliseconds from
 * `now`; undefined when absent or unparseable. Dates in the past give 0.
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): the server's `Retry-After`
 * (capped) when given, else `baseDelayMs * 2^(attempt-1)` capped at `maxDelayMs`, with
 * "equal jitter" (between half and all of it) so parallel resources do not retry in lockstep.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * policy.random());
}

/** Whether and after what server-requested wait a failure should be retried. */
export interface RetryVerdict {
  /** Retry this failure. */
  retry: boolean;
  /** Server-requested wait, if any. */
  retryAfterMs?: number;
}

/**
 * Default classifier: {@link TransientError}s and any error carrying a 429/5xx `status` or
 * `statusCode` (e.g. an SDK exception) are retried.
 */
export function classifyTransient(error: unknown): RetryVerdict {
  if (isTransientError(error)) return { retry: true, retryAfterMs: error.retryAfterMs };
  return { retry: isTransientStatus(httpStatusOf(error)) };
}

/** Options for {@link withRetry}. */
export interface RetryOptions {
  /** Policy overrides. Defaults to {@link defaultRetryPolicy}. */
  policy?: Partial<RetryPolicy>;
  /** Decides which errors are transient. Defaults to {@link classifyTransient}. */
  classify?: (error: unknown) => RetryVerdict;
  /** Receives one line per retry (already free of secrets if the caller's messages are). Defaults to no logging. */
  log?: (line: string) => void;
}

/**
 * Runs `operation`, retrying transient failures with backoff. Non-transient errors are
 * rethrown untouched at once; when attempts run out a {@link RetriesExhaustedError} naming
 * `action` is thrown.
 */
export async function withRetry<T>(action: string, operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.policy };
  const classify = options.classify ?? classifyTransient;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const verdict = classify(error);
      if (!verdict.retry) throw error;
      if (attempt >= policy.maxAttempts) throw retriesExhaustedError(action, attempt, error);
      const delay = backoffDelayMs(attempt, policy, verdict.retryAfterMs);
      const why = error instanceof Error ? error.message : String(error);
      options.log?.(`${action}: ${why}; retrying in ${delay} ms (attempt ${attempt + 1} of ${policy.maxAttempts})`);
      await policy.sleep(delay);
    }
  }
}
