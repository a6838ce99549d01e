import { SipClient } from "livekit-server-sdk";
import type { WorkerConfig } from "./worker-config.ts";

let cached: { url: string; apiKey: string; client: SipClient } | undefined;

/**
 * The process's SIP API client for the configured server: made once (while the call group process is
 * prewarmed) and reused by the dial, so a call does not pay for building it.
 */
export function sipClient(config: Pick<WorkerConfig, "livekitUrl" | "apiKey" | "apiSecret">): SipClient {
  if (cached?.url !== config.livekitUrl || cached.apiKey !== config.apiKey) {
    cached = { url: config.livekitUrl, apiKey: config.apiKey, client: new SipClient(config.livekitUrl, config.apiKey, config.apiSecret) };
  }
  return cached.client;
}
