/**
 * Reads the HTTP status SDK errors carry (`status` on twilio's RestException and
 * livekit-server-sdk's TwirpError, `statusCode` elsewhere).
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const record = error as { status?: unknown; statusCode?: unknown };
  if (typeof record.status === "number") return record.status;
  if (typeof record.statusCode === "number") return record.statusCode;
  return undefined;
}

/** True when an SDK error says the resource does not exist (HTTP 404). */
export function isNotFoundError(error: unknown): boolean {
  return httpStatusOf(error) === 404;
}
