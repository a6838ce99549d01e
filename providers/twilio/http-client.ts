/**
 * The twilio SDK's HTTP seam (`ClientOpts.httpClient`). It wraps the SDK's own RequestClient
 * to do two things the SDK cannot:
 *
 * - turn 429 and 5xx responses into `TransientError`s carrying `Retry-After` (the SDK's
 *   RestException drops response headers), so the shared retry honours it;
 * - for tests only, send requests to a loopback fake instead of `https://<host>.twilio.com`:
 *   `https://trunking.twilio.com/v1/Trunks` becomes `<apiBaseUrl>/trunking.twilio.com/v1/Trunks`.
 *
 * Built inside functions with `require("twilio")` so Pulumi's closure serializer never has to
 * capture the SDK module.
 */
import type RequestClient from "twilio/lib/base/RequestClient";
import type Response from "twilio/lib/http/response";
import { isTransientStatus, parseRetryAfter, transientError } from "../base";

/**
 * Hosts the loopback override may target; anything else would ship credentials off the
 * machine. (An array, not a Set: Pulumi's closure serializer cannot carry Sets.)
 */
const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

/** Why `apiBaseUrl` is unusable, or undefined when it is a plain http(s) loopback origin. */
export function apiBaseUrlProblem(apiBaseUrl: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(apiBaseUrl);
  } catch {
    return `"${apiBaseUrl}" is not a URL`;
  }
  if (!LOOPBACK_HOSTS.includes(parsed.hostname) || !/^https?:$/.test(parsed.protocol)) {
    return `"${apiBaseUrl}" is not a loopback http(s) URL; the override exists only to reach a local test fake`;
  }
  return undefined;
}

/** Rewrites a Twilio API URL onto `apiBaseUrl`, keeping the product host as the first path segment. */
export function rewriteUri(uri: string, apiBaseUrl: string | undefined): string {
  if (apiBaseUrl === undefined) return uri;
  const original = new URL(uri);
  return `${apiBaseUrl.replace(/\/+$/, "")}/${original.host}${original.pathname}${original.search}`;
}

/** Twilio's error code and message from an error response body (JSON object or string). */
function errorDetail(body: unknown): string {
  const parsed = typeof body === "string" ? safeJson(body) : body;
  if (typeof parsed !== "object" || parsed === null) return "";
  const { code, message } = parsed as { code?: unknown; message?: unknown };
  return [code !== undefined ? `Twilio error ${String(code)}` : "", typeof message === "string" ? message : ""].filter(Boolean).join(": ");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads one header from axios-style headers (plain object or AxiosHeaders), case-insensitively. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}

/**
 * Creates the HTTP client the twilio SDK uses. The SDK only calls `request`, so a small
 * object delegating to a real RequestClient is enough.
 */
export function createHttpClient(apiBaseUrl: string | undefined): RequestClient {
  const twilio = require("twilio") as typeof import("twilio");
  const inner = new twilio.RequestClient({ timeout: 30000 });
  const client = {
    async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
      const response = await inner.request({ ...opts, uri: rewriteUri(opts.uri, apiBaseUrl) });
      if (isTransientStatus(response.statusCode)) {
        const retryAfter = parseRetryAfter(headerValue(response.headers, "retry-after"));
        throw transientError(response.statusCode, errorDetail(response.body), retryAfter);
      }
      return response;
    },
  };
  return client as unknown as RequestClient;
}
