/**
 * The local stack the benchmark measures: Redis, livekit-server and livekit-sip (the project's
 * rendered configs), sipp as the carrier, an outbound trunk created by the project's provider, and
 * the built worker; all on loopback, all stopped by `stop()`.
 */
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AgentDispatchClient, RoomServiceClient, SipClient } from "livekit-server-sdk";
import { outboundTrunkProvider, type OutboundTrunkInputs } from "../providers/livekit";
import { liveKitStackConfig } from "../test/integration/livekit/provider-steps";
import type { LivekitSip } from "../test/harness/livekit-sip";
import { type LivekitStack, startLivekitStack } from "../test/harness/voice-stack";
import { formatLogs } from "../test/harness/wait-until";
import { type AgentWorker, buildWorkerIfStale, startWorker } from "../test/harness/worker";
import { type BenchCarrier, startBenchCarrier } from "./carrier";
import { startBenchSip } from "./sip-service";

/** Where the logs and configs of the last run are kept for reading afterwards (gitignored). */
export const LAST_RUN_LOGS = join(__dirname, "tmp", "last-run");

/** Name the benchmark's worker registers under. */
export const BENCH_AGENT_NAME = "bench-agent";

// The carrier's digest credentials, which the outbound trunk holds (loopback only).
const CARRIER_USER = "bench-carrier";
const CARRIER_PASSWORD = "Bench-Carrier-Passw0rd";

/** Everything running, and clients for the LiveKit API. */
export interface BenchStack {
  livekit: LivekitStack;
  sip: LivekitSip;
  carrier: BenchCarrier;
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

/** Creates the outbound trunk to the carrier through the project's dynamic provider, as `pulumi up` would. */
async function createTrunk(livekit: LivekitStack, carrierAddress: string): Promise<string> {
  await outboundTrunkProvider.configure({ config: liveKitStackConfig(livekit.livekit) });
  const inputs: OutboundTrunkInputs = {
    url: livekit.livekit.url,
    name: "bench-carrier",
    address: carrierAddress,
    numbers: ["+15550100001"],
    transport: "udp",
    authUsername: CARRIER_USER,
    authPassword: CARRIER_PASSWORD,
    headers: {},
  };
  const checked = await outboundTrunkProvider.check({} as OutboundTrunkInputs, inputs);
  if (checked.failures && checked.failures.length > 0) {
    throw new Error(`the bench's outbound trunk inputs are invalid: ${JSON.stringify(checked.failures)}`);
  }
  return (await outboundTrunkProvider.create(checked.inputs as OutboundTrunkInputs)).id;
}

/**
 * Builds the worker if stale and starts the whole stack. `maxCalls` sizes livekit-sip's RTP range
 * and the worker's MAX_CONCURRENT_CALLS (so the worker never sheds the benchmark's load by the
 * shared machine's CPU); `holdMs` is how long the carrier holds capacity calls.
 */
export async function startBenchStack(options: { maxCalls: number; holdMs: number }): Promise<BenchStack> {
  buildWorkerIfStale();
  const livekit = await startLivekitStack();
  const stopped: { stop(): Promise<void> }[] = [];
  try {
    const sip = await startBenchSip({ livekit: livekit.livekit, redis: livekit.redis, logDir: livekit.logDir, maxCalls: options.maxCalls });
    stopped.push(sip.process);
    const carrier = await startBenchCarrier({
      logDir: livekit.logDir,
      username: CARRIER_USER,
      password: CARRIER_PASSWORD,
      holdMs: options.holdMs,
    });
    stopped.push(carrier.process);
    const trunkId = await createTrunk(livekit, carrier.address);
    const worker = await startWorker({
      livekit: livekit.livekit,
      sipOutboundTrunkId: trunkId,
      agentName: BENCH_AGENT_NAME,
      logDir: livekit.logDir,
      maxConcurrentCalls: options.maxCalls,
    });
    stopped.push(worker.process);
    const { url, apiKey, apiSecret } = livekit.livekit;
    const processes = [worker.process, carrier.process, sip.process];
    return {
      livekit,
      sip,
      carrier,
      worker,
      trunkId,
      rooms: new RoomServiceClient(url, apiKey, apiSecret),
      dispatch: new AgentDispatchClient(url, apiKey, apiSecret),
      sipApi: new SipClient(url, apiKey, apiSecret),
      pids: {
        "livekit-sip": sip.process.pid,
        "livekit-server": livekit.livekit.process.pid,
        worker: worker.process.pid,
        carrier: carrier.process.pid,
        redis: livekit.redis.process.pid,
      },
      logs: (lines) => `${livekit.logs(lines)}\n${formatLogs(processes, lines)}`,
      stop: async () => {
        await Promise.all(processes.map((p) => p.stop()));
        rmSync(LAST_RUN_LOGS, { recursive: true, force: true });
        cpSync(livekit.logDir, LAST_RUN_LOGS, { recursive: true });
        await livekit.stop();
      },
    };
  } catch (error) {
    await Promise.all(stopped.map((p) => p.stop()));
    await livekit.stop();
    throw error;
  }
}
