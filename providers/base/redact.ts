import { httpStatusOf } from "./http-status";

/**
 * Keeps secrets out of error messages and log lines. Dynamic provider errors travel to the
 * engine as plain text and end up in CI logs, so every message leaving a provider passes here.
 */

/** What replaces a secret value in text. */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are not redacted: replacing "1" or "" everywhere would mangle messages without protecting anything. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret (and its URL- and base64-encoded forms, which is
 * how credentials show up in request dumps and Basic auth headers) with {@link REDACTED}.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret).toString("base64"));
  }
  // Longest first so a secret containing another secret is removed whole.
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.split(form).join(REDACTED);
  }
  return result;
}

/**
 * An error whose message and stack have been scrubbed of secrets. Carries the HTTP status of
 * the cause (if any) so callers can still branch on it. A plain `Error` with fields, not a
 * subclass, so its message survives Pulumi's closure serialization (see retry.ts).
 */
export interface SafeError extends Error {
  /** Always `SafeError`. */
  name: "SafeError";
  /** HTTP status of the underlying failure, when known. */
  status: number | undefined;
}

/**
 * Wraps `cause` as a {@link SafeError} whose message is `${context}: ${cause message}` with
 * every secret redacted; the stack is redacted too, since it repeats the message.
 */
export function safeError(context: string, cause: unknown, secrets: readonly (string | undefined)[]): SafeError {
  const causeMessage = cause instanceof Error ? cause.message : String(cause);
  const message = redact(context ? `${context}: ${causeMessage}` : causeMessage, secrets);
  const status = httpStatusOf(cause);
  const frames = cause instanceof Error && cause.stack ? cause.stack.split("\n").slice(1).join("\n") : "";
  const stack = redact(`SafeError: ${message}${frames ? `\n${frames}` : ""}`, secrets);
  return Object.assign(new Error(message), { name: "SafeError" as const, status, stack });
}
