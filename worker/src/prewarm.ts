import type { JobProcess } from "@livekit/agents";
import { AudioSource } from "@livekit/rtc-node";
import { AccessToken } from "livekit-server-sdk";
import { slotReporter } from "./call-reporter.ts";
import { livekitHttpUrl } from "./livekit-http-url.ts";
import { sipClient } from "./sip-client.ts";
import { loadWorkerConfig } from "./worker-config.ts";

// A warm-up request that has not answered by then is abandoned; the call does not depend on it.
const WARMUP_TIMEOUT_MS = 2_000;

let warmed: Promise<void> | undefined;

/**
 * Runs for every job slot before it is handed a call (LiveKit Agents' `prewarm`): the slot reports
 * itself idle once its process is warm. The first slot of a call group process warms it, doing the
 * one-time work that would otherwise land between the dispatch and the callee's phone ringing:
 * building the SIP API client, the first token signature (the Web Crypto key import), the HTTP
 * client's first request (undici and its parser load lazily) and the start of the WebRTC library's
 * native runtime. Never throws: a warm-up that fails (LiveKit briefly unreachable) only leaves that
 * work to the call.
 */
export async function prewarmJobSlot(proc: JobProcess, env: Record<string, string | undefined> = process.env): Promise<void> {
  warmed ??= warmProcess(env);
  await warmed;
  slotReporter(proc, env).report({ event: "idle" });
}

async function warmProcess(env: Record<string, string | undefined>): Promise<void> {
  const loaded = loadWorkerConfig(env);
  // main.ts refuses to start with an invalid environment; nothing to warm for it here.
  if (!loaded.ok) return;
  const config = loaded.config;
  sipClient(config);
  await Promise.allSettled([
    (async () => {
      const token = new AccessToken(config.apiKey, config.apiSecret, { ttl: 60 });
      token.addSIPGrant({ call: true });
      await token.toJwt();
    })(),
    fetch(`${livekitHttpUrl(config.livekitUrl)}/`, { signal: AbortSignal.timeout(WARMUP_TIMEOUT_MS) }).then((response) => response.arrayBuffer()),
    // The first use of the native library starts its runtime; closing the source releases it.
    new AudioSource(48_000, 1).close(),
  ]);
}
