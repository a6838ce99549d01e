/**
 * The local stack the benchmark measures: the harness's call stack (Redis, livekit-server,
 * livekit-sip, sipp as the carrier with the benchmark's RTP endpoint echoing and timestamping its
 * media, the outbound trunk, inbound trunk and dispatch rule made by the project's providers) sized
 * for the capacity levels, the built worker, and the inbound floor's trunk and direct dispatch
 * rule; all on loopback, all stopped by `stop()`.
 */
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AgentDispatchClient, RoomServiceClient, SipClient } from "livekit-server-sdk";
import { type CallStack, carrierSignalingAddress, startCallStack } from "../test/harness/call-stack";
import type { Carrier, CarrierOptions } from "../test/harness/carrier";
import type { LivekitSip } from "../test/harness/livekit-sip";
import type { AgentWorker } from "../test/harness/worker";
import type { CapacityTarget } from "./capacity";
import { type CarrierMedia, startCarrierMedia } from "./carrier-media";

/** Where the logs and configs of the last run are kept for reading afterwards (gitignored). */
export const LAST_RUN_LOGS = join(__dirname, "tmp", "last-run");

/** The number the inbound floor's trunk takes calls to; its dispatch rule sends them to {@link INBOUND_FLOOR_ROOM}. */
export const INBOUND_FLOOR_NUMBER = "+15550100002";

/** The room every inbound floor call joins, where a participant already publishes a tone. */
export const INBOUND_FLOOR_ROOM = "bench-inbound-floor";

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

/**
 * How the benchmark runs the carrier, on one node or two: it holds capacity calls `holdMs`, its
 * answers offer the benchmark's echoing media endpoint, and its own call cap stays out of the way.
 */
export function benchCarrierOptions(holdMs: number, media: CarrierMedia): Pick<CarrierOptions, "holdMs" | "maxCalls" | "rtpPort"> {
  return { holdMs, rtpPort: media.port, maxCalls: CARRIER_MAX_CALLS };
}

/** Everything running, and clients for the LiveKit API. */
export interface BenchStack {
  sip: LivekitSip;
  carrier: Carrier;
  /** The carrier's RTP endpoint: echoes livekit-sip's audio and timestamps it. */
  media: CarrierMedia;
  worker: AgentWorker;
  /** livekit-server's signaling URL and API credentials, for the floor's publishing participant. */
  livekit: { wsUrl: string; apiKey: string; apiSecret: string };
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

/** The one-node stack as the capacity ramp's target: node `local`. */
export function oneNodeTarget(stack: BenchStack): CapacityTarget {
  return {
    carrier: stack.carrier,
    nodes: [{ name: "local", pids: stack.pids, sipHost: stack.sip.host, rooms: stack.rooms, dispatch: stack.dispatch, worker: stack.worker }],
  };
}

/** Stops the stack after copying its logs and configs to {@link LAST_RUN_LOGS}. */
async function stopKeepingLogs(stack: CallStack, worker: AgentWorker, media: CarrierMedia): Promise<void> {
  // Stopped before the copy, so their logs are complete in it.
  await Promise.all([worker.process, stack.carrier.process, stack.sip.process].map((p) => p.stop()));
  await media.stop();
  rmSync(LAST_RUN_LOGS, { recursive: true, force: true });
  cpSync(stack.logDir, LAST_RUN_LOGS, { recursive: true });
  await stack.stop();
}

/**
 * Builds the worker if stale and starts the whole stack. `maxCalls` sizes livekit-sip's RTP range
 * and the worker's MAX_CONCURRENT_CALLS (so the worker never sheds the benchmark's load by the
 * shared machine's CPU); `holdMs` is how long the carrier holds capacity calls. The carrier answers
 * the benchmark's numbers without recorded audio, its media endpoint echoes livekit-sip's back, and
 * it holds call-setup calls 2 s.
 */
export async function startBenchStack(options: { maxCalls: number; holdMs: number }): Promise<BenchStack> {
  const media = await startCarrierMedia();
  let stack: CallStack;
  try {
    stack = await startCallStack({
      agentName: BENCH_AGENT_NAME,
      rtpPortCount: options.maxCalls * RTP_PORTS_PER_CALL,
      carrier: benchCarrierOptions(options.holdMs, media),
      inbound: {},
    });
  } catch (error) {
    await media.stop();
    throw error;
  }
  const { url, wsUrl, apiKey, apiSecret } = stack.livekit;
  const sipApi = new SipClient(url, apiKey, apiSecret);
  let worker: AgentWorker;
  try {
    // The inbound floor: calls to its number go straight to a room, no agent dispatched.
    const floorTrunk = await sipApi.createSipInboundTrunk("inbound-floor", [INBOUND_FLOOR_NUMBER], {
      allowedAddresses: [`${carrierSignalingAddress}/32`],
    });
    await sipApi.createSipDispatchRule({ type: "direct", roomName: INBOUND_FLOOR_ROOM }, { name: "inbound-floor", trunkIds: [floorTrunk.sipTrunkId] });
    worker = await stack.startWorker({ maxConcurrentCalls: options.maxCalls });
  } catch (error) {
    await stack.stop();
    await media.stop();
    throw error;
  }
  return {
    sip: stack.sip,
    carrier: stack.carrier,
    media,
    worker,
    livekit: { wsUrl, apiKey, apiSecret },
    trunkId: stack.outboundTrunk.id,
    rooms: new RoomServiceClient(url, apiKey, apiSecret),
    dispatch: new AgentDispatchClient(url, apiKey, apiSecret),
    sipApi,
    pids: {
      "livekit-sip": stack.sip.process.pid,
      "livekit-server": stack.livekit.process.pid,
      worker: worker.process.pid,
      carrier: stack.carrier.process.pid,
      redis: stack.redis.process.pid,
    },
    logs: (lines) => stack.logs(lines),
    stop: () => stopKeepingLogs(stack, worker, media),
  };
}
