/**
 * The two-node stack the benchmark's two-node capacity ramp loads: the harness's two voice nodes
 * (a livekit-server and a livekit-sip each, SIP on 127.0.0.2 and 127.0.0.3, one Redis with AUTH),
 * sipp as the carrier with the benchmark's echoing RTP endpoint, the outbound trunk created once
 * through node A's API by the project's provider, and a worker per node registered with its own
 * node's livekit-server. Everything on this one machine; all stopped by `stop()`.
 */
import { AgentDispatchClient, RoomServiceClient } from "livekit-server-sdk";
import { startCarrier } from "../test/harness/carrier";
import { carrierPassword, carrierUser, createCarrierTrunk } from "../test/harness/call-stack";
import { startTwoNodeStack } from "../test/harness/voice-stack";
import { buildWorkerIfStale, startWorker } from "../test/harness/worker";
import { BENCH_AGENT_NAME, RTP_PORTS_PER_CALL, benchCarrierOptions } from "./bench-stack";
import type { CapacityNode, CapacityTarget } from "./capacity";
import { startCarrierMedia } from "./carrier-media";

/** The running two-node stack as the capacity ramp's target. */
export interface TwoNodeBenchStack {
  target: CapacityTarget;
  /** Log tails of every process, for a failure report. */
  logs(lines?: number): string;
  stop(): Promise<void>;
}

/**
 * Builds the worker if stale and starts both nodes, the carrier and a worker per node. `maxCalls`
 * sizes each livekit-sip's RTP range and each worker's MAX_CONCURRENT_CALLS for the whole ramp
 * (livekit-sip takes calls by a race on the bus, so one node may get most of them); `holdMs` is
 * how long the carrier holds each call.
 */
export async function startTwoNodeBenchStack(options: { maxCalls: number; holdMs: number }): Promise<TwoNodeBenchStack> {
  buildWorkerIfStale();
  const media = await startCarrierMedia();
  const stack = await startTwoNodeStack({ rtpPortCount: options.maxCalls * RTP_PORTS_PER_CALL }).catch(async (error: unknown) => {
    await media.stop();
    throw error;
  });
  const stop = async () => {
    await stack.stop();
    await media.stop();
  };
  try {
    const target = await stack.withLogs(async (): Promise<CapacityTarget> => {
      const [nodeA] = stack.nodes;
      const carrier = stack.track(
        await startCarrier({ logDir: stack.logDir, username: carrierUser, password: carrierPassword, ...benchCarrierOptions(options.holdMs, media) }),
      );
      const trunkId = (await createCarrierTrunk(nodeA.livekit, carrier.address)).id;
      const nodes: CapacityNode[] = [];
      for (const node of stack.nodes) {
        const { url, apiKey, apiSecret } = node.livekit;
        const worker = stack.track(
          await startWorker({
            livekit: node.livekit,
            sipOutboundTrunkId: trunkId,
            agentName: BENCH_AGENT_NAME,
            logDir: stack.logDir,
            maxConcurrentCalls: options.maxCalls,
            name: `worker-${node.name}`,
          }),
        );
        nodes.push({
          name: node.name,
          pids: { "livekit-sip": node.sip.process.pid, "livekit-server": node.livekit.process.pid, worker: worker.process.pid },
          sipHost: node.sip.host,
          rooms: new RoomServiceClient(url, apiKey, apiSecret),
          dispatch: new AgentDispatchClient(url, apiKey, apiSecret),
          worker,
        });
      }
      return { carrier, nodes };
    });
    return { target, logs: (lines) => stack.logs(lines), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
