/**
 * The local stack the benchmark measures: the harness's call stack (Redis, livekit-server,
 * livekit-sip, sipp as the carrier echoing RTP, the outbound trunk made by the project's provider)
 * sized for the capacity levels, and the built worker; all on loopback, all stopped by `stop()`.
 */
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AgentDispatchClient, RoomServiceClient, SipClient } from "livekit-server-sdk";
import { type CallStack, startCallStack } from "../test/harness/call-stack";
import type { Carrier } from "../test/harness/carrier";
import type { LivekitSip } from "../test/harness/livekit-sip";
import type { AgentWorker } from "../test/harness/worker";

/** Where the logs and configs of the last run are kept for reading afterwards (gitignored). */
export const LAST_RUN_LOGS = join(__dirname, "tmp", "last-run");

/** Name the benchmark's worker registers under. */
export const BENCH_AGENT_NAME = "bench-agent";

/**
 * RTP ports reserved per call: livekit-sip binds even ports only (2 per call), and a call's port
 * is held a while after it ends, when new calls already need theirs. Running out is fatal:
 * livekit-sip v1.8.0 panics (nil MediaPort closed in outbound.go) when no port is left, and the
 * harness's default 20-port range would cap the ramp at 10 calls.
 */
export const RTP_PORTS_PER_CALL = 4;

// sipp's own cap on concurrent calls, far above the benchmark's levels.
const CARRIER_MAX_CALLS = 1000;

/** Everything running, and clients for the LiveKit API. */
export interface BenchStack {
  sip: LivekitSip;
  carrier: Carrier;
  worker: AgentWorker;
  /** The outbound trunk (to the carrier) both the worker and the direct calls dial through. */
  trunkId: string;
  rooms: RoomServiceClient;
  dispatch: AgentDispatchClient;
  sipApi: SipClient;
  /** Process-group leaders to sample, by server. */
  pids: { "livekit-sip": number; "livekit-server": number; worker: number; carrier: number; redis: number };
  /** Log tails of every process, for a failure report. */
  logs(lines?: number): string;
  /** Stops every process (worker, carrier, livekit-sip, livekit-server, Redis), keeping a copy of their logs in {@link LAST_RUN_LOGS}. */
  stop(): Promise<void>;
}

/** Stops the stack after copying its logs and configs to {@link LAST_RUN_LOGS}. */
async function stopKeepingLogs(stack: CallStack, worker: AgentWorker): Promise<void> {
  // Stopped before the copy, so their logs are complete in it.
  await Promise.all([worker.process, stack.carrier.process, stack.sip.process].map((p) => p.stop()));
  rmSync(LAST_RUN_LOGS, { recursive: true, force: true });
  cpSync(stack.logDir, LAST_RUN_LOGS, { recursive: true });
  await stack.stop();
}

/**
 * Builds the worker if stale and starts the whole stack. `maxCalls` sizes livekit-sip's RTP range
 * and the worker's MAX_CONCURRENT_CALLS (so the worker never sheds the benchmark's load by the
 * shared machine's CPU); `holdMs` is how long the carrier holds capacity calls. The carrier echoes
 * RTP (the benchmark's numbers are answered without recorded audio) and holds call-setup calls 1 s.
 */
export async function startBenchStack(options: { maxCalls: number; holdMs: number }): Promise<BenchStack> {
  const stack = await startCallStack({
    agentName: BENCH_AGENT_NAME,
    rtpPortCount: options.maxCalls * RTP_PORTS_PER_CALL,
    carrier: { holdMs: options.holdMs, rtpEcho: true, maxCalls: CARRIER_MAX_CALLS },
  });
  let worker: AgentWorker;
  try {
    worker = await stack.startWorker({ maxConcurrentCalls: options.maxCalls });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const { url, apiKey, apiSecret } = stack.livekit;
  return {
    sip: stack.sip,
    carrier: stack.carrier,
    worker,
    trunkId: stack.outboundTrunk.id,
    rooms: new RoomServiceClient(url, apiKey, apiSecret),
    dispatch: new AgentDispatchClient(url, apiKey, apiSecret),
    sipApi: new SipClient(url, apiKey, apiSecret),
    pids: {
      "livekit-sip": stack.sip.process.pid,
      "livekit-server": stack.livekit.process.pid,
      worker: worker.process.pid,
      carrier: stack.carrier.process.pid,
      redis: stack.redis.process.pid,
    },
    logs: (lines) => stack.logs(lines),
    stop: () => stopKeepingLogs(stack, worker),
  };
}
