/**
 * Access to the LiveKit SIP API for the dynamic providers: credentials from the `configure`
 * step, a client per call, which failures are worth retrying and what a failure means.
 *
 * Runs inside the serialized provider closure, so SDK modules are `require`d inside
 * functions, never imported at module level.
 */
import type { SipClient } from "livekit-server-sdk";
import type { ProviderContext } from "../base/define-provider";
import { configSetCommand, requireConfig, type ProviderConfig } from "../base/provider-config";
import { httpStatusOf } from "../base/http-status";
import { isTransientStatus, type RetryVerdict } from "../base/retry";

/** LiveKit API credentials, read from stack config by `configure`. */
export interface LiveKitCredentials {
  /** API key livekit-server was deployed with (`livekitApiKey`). */
  apiKey: string;
  /** API secret paired with the key (`livekitApiSecret`, a Pulumi secret). */
  apiSecret: string;
}

/** Stack config keys (in the project namespace) the LiveKit providers read in `configure`. */
const liveKitConfigKeys = { apiKey: "livekitApiKey", apiSecret: "livekitApiSecret" } as const;

/** Reads the LiveKit API credentials from stack config; throws naming the missing key and the command that sets it. */
export function connectLiveKit(config: ProviderConfig): LiveKitCredentials {
  return {
    apiKey: requireConfig(config, liveKitConfigKeys.apiKey, { example: "APIvoiceprod" }),
    apiSecret: requireConfig(config, liveKitConfigKeys.apiSecret, { secret: true }),
  };
}

/** Seconds one API request may take before it is abandoned (and retried as transient). */
const REQUEST_TIMEOUT_SECONDS = 15;

/** A SIP API client for the server at `url` (`https://<domain>`). */
export function sipClient(url: string, credentials: LiveKitCredentials): SipClient {
  const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
  // Region failover only applies to LiveKit Cloud; a self-hosted server has one origin.
  return new sdk.SipClient(url, credentials.apiKey, credentials.apiSecret, {
    requestTimeout: REQUEST_TIMEOUT_SECONDS,
    failover: false,
  });
}

/** Network error codes that mean "try again": the host restarting, Caddy reloading, a dropped connection. */
const TRANSIENT_NETWORK_CODES: readonly string[] = [
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
];

/** The code of a failed `fetch` (`TypeError: fetch failed` carries it on `cause`), if any. */
function networkCodeOf(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

/** What a failed `fetch` says happened (`connect ECONNREFUSED …`), else the error's own message. */
function networkReasonOf(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } } | undefined)?.cause;
  if (typeof cause?.message === "string") {
    return cause.message;
  }
  return messageOf(error);
}

/** An error's message, read as a property: errors revived from a serialized closure are not `instanceof Error`. */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : String(error);
}

/**
 * Replaces signed access tokens (JWTs) in a server message: livekit-server echoes a refused
 * token in its 401 text, and a bearer token has no place in deployment logs.
 */
export function withoutTokens(text: string): string {
  return text.replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[access token]");
}

/**
 * Retries 429 and 5xx answers, requests that timed out, and connections refused or dropped:
 * right after a deploy the API can briefly be unreachable while the services restart.
 */
export function classifyLiveKitFailure(error: unknown): RetryVerdict {
  if (isTransientStatus(httpStatusOf(error))) {
    return { retry: true };
  }
  const code = networkCodeOf(error);
  const timedOut = (error as { name?: unknown } | undefined)?.name === "TimeoutError";
  return { retry: timedOut || (code !== undefined && TRANSIENT_NETWORK_CODES.includes(code)) };
}

/** An API failure restated for the person running the deployment, keeping the HTTP status for retry and 404 handling. */
export type LiveKitApiError = Error & { status: number | undefined };

/**
 * Builds a {@link LiveKitApiError}. A plain `Error` with a property, not a subclass: Pulumi's
 * closure serializer turns `super(message)` into `Error.call(this, message)`, which drops the
 * message, so subclasses of Error lose their text inside a deployed dynamic provider.
 */
function liveKitApiError(message: string, status: number | undefined): LiveKitApiError {
  return Object.assign(new Error(message), { name: "LiveKitApiError", status });
}

/**
 * Explains a failed call to the LiveKit API at `url`: what went wrong and what to change.
 * The SDK's messages carry the server's reason but never the API secret or request body.
 */
export function explainLiveKitFailure(error: unknown, url: string): LiveKitApiError {
  const status = httpStatusOf(error);
  const reason = withoutTokens(messageOf(error));
  if (status === 401 || status === 403) {
    return liveKitApiError(
      `LiveKit at ${url} refused the API credentials (HTTP ${status}: ${reason}). The stack config ` +
        `${liveKitConfigKeys.apiKey}/${liveKitConfigKeys.apiSecret} must match the key pair livekit-server runs with; ` +
        `fix them with \`${configSetCommand(liveKitConfigKeys.apiSecret, { secret: true })}\` and redeploy.`,
      status,
    );
  }
  if (status === 404) {
    return liveKitApiError(
      `LiveKit at ${url} has no such resource (HTTP 404: ${reason}): it was deleted outside Pulumi. ` +
        "Run `pulumi refresh` to drop it from the state, then `pulumi up` to create it again.",
      status,
    );
  }
  if (status === 400) {
    return liveKitApiError(`LiveKit at ${url} rejected the request (HTTP 400): ${reason}`, status);
  }
  if (status !== undefined) {
    return liveKitApiError(`LiveKit at ${url} answered HTTP ${status}: ${reason}`, status);
  }
  if (!reachedNoServer(error)) {
    // The server answered, but not with a LiveKit API response (truncated, HTML from a proxy, bad JSON).
    return liveKitApiError(
      `LiveKit at ${url} answered with a response that is not a LiveKit API reply (${reason}). Check that the URL ` +
        "reaches livekit-server itself (Caddy proxies https://<domain> to it) and that the deployment is healthy.",
      undefined,
    );
  }
  return liveKitApiError(
    `could not reach the LiveKit API at ${url}: ${withoutTokens(networkReasonOf(error))}. Check that the deployment is ` +
      "healthy and that the URL is the host's TLS endpoint (https://<domain>).",
    undefined,
  );
}

/** True when the request never got an answer: a connection-level failure or a timeout. */
function reachedNoServer(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return networkCodeOf(error) !== undefined || name === "TimeoutError" || name === "AbortError" || messageOf(error) === "fetch failed";
}

/** Computed outputs of the LiveKit resources: none beyond their ID; every output echoes an input. */
export type NoComputedOutputs = Record<never, never>;

/**
 * Runs one SIP API call against the server at `url` with the configured credentials,
 * retrying transient failures, and restates the last failure with {@link explainLiveKitFailure}
 * (the underlying one, so the explanation names what actually went wrong, e.g. ECONNREFUSED).
 */
export async function callLiveKit<T>(
  ctx: ProviderContext<LiveKitCredentials>,
  url: string,
  action: string,
  operation: (client: SipClient) => Promise<T>,
): Promise<T> {
  const client = sipClient(url, ctx.settings);
  let attempts = 0;
  let lastFailure: unknown;
  try {
    return await ctx.call(action, async () => {
      attempts += 1;
      try {
        return await operation(client);
      } catch (error) {
        lastFailure = error;
        throw error;
      }
    });
  } catch (error) {
    const explained = explainLiveKitFailure(lastFailure ?? error, url);
    if (attempts > 1) {
      explained.message = `${explained.message} (gave up after ${attempts} attempts)`;
    }
    throw explained;
  }
}

/**
 * Sends a SIP service request as given over the client's own Twirp transport, for fields the SDK's
 * helpers drop (a dispatch rule's `numbers`, an inbound trunk's `max_call_duration`): livekit-server
 * stores the message whole. The SDK is pinned in package.json, so its private `rpc` has a known
 * shape, and timeouts and errors stay the SDK's.
 */
export async function sendSipRequest(client: SipClient, method: string, request: unknown): Promise<unknown> {
  const rpc = (client as unknown as { rpc: { request(service: string, method: string, data: unknown, headers: unknown): Promise<unknown> } }).rpc;
  return rpc.request("SIP", method, request, await client.authHeader({}, { admin: true }));
}
