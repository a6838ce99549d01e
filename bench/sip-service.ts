/**
 * livekit-sip for the benchmark: the harness's livekit-sip with an RTP range sized for the
 * capacity levels. livekit-sip takes an even port per call (pkg/sip/media_port.go,
 * ListenUDPEvenPortRange), so the harness's 20-port range would cap the ramp at 10 calls.
 */
import type { LivekitServer } from "../test/harness/livekit-server";
import { type LivekitSip, startLivekitSip } from "../test/harness/livekit-sip";
import type { RedisServer } from "../test/harness/redis";

/**
 * RTP ports reserved per call: livekit-sip binds even ports only (2 per call), and a call's port
 * is held a while after it ends, when new calls already need theirs. Running out is fatal:
 * livekit-sip v1.8.0 panics (nil MediaPort closed in outbound.go) when no port is left.
 */
export const RTP_PORTS_PER_CALL = 4;

/**
 * Starts livekit-sip on loopback with room for `maxCalls` concurrent calls, configured by the
 * production renderer. CPU admission is off (`maxCpuUtilization` 1) as in the harness: the
 * machine is shared, and the ramp's own limit is a failed or silent call, not livekit-sip's guess.
 */
export function startBenchSip(options: {
  livekit: Pick<LivekitServer, "wsUrl" | "apiKey" | "apiSecret">;
  redis: RedisServer;
  logDir: string;
  maxCalls: number;
}): Promise<LivekitSip> {
  return startLivekitSip({ ...options, logLevel: "info", rtpPortCount: options.maxCalls * RTP_PORTS_PER_CALL });
}
