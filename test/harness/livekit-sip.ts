import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LogLevel } from "../../components/runtime-config/livekit-yaml";
import { livekitKeysEnvironment } from "../../components/runtime-config/livekit-keys";
import { renderSipConfig } from "../../components/runtime-config/sip-config";
import { goServerPath, goServers, requireBinaries } from "./binaries";
import type { LivekitServer } from "./livekit-server";
import { type ManagedProcess, startProcess } from "./managed-process";
import { freePort, freeUdpRange } from "./ports";
import type { RedisServer } from "./redis";
import { waitUntil } from "./wait-until";

/** A running livekit-sip. */
export interface LivekitSip {
  /** Address SIP signaling listens on and announces. */
  host: string;
  /** SIP signaling port (UDP and TCP) on {@link host}. */
  sipPort: number;
  /** RTP port range, inclusive. */
  rtpPorts: { start: number; end: number };
  /** Health endpoint URL. */
  healthUrl: string;
  /** Prometheus metrics URL (on loopback). */
  metricsUrl: string;
  /** The config it runs with. */
  configPath: string;
  /** The process, for logs and stopping. */
  process: ManagedProcess;
}

// psrpc (livekit's RPC over Redis) subscribes each server to "<service>|<method>|REQ"; livekit-server
// finds a SIP service to place a call through this channel's subscribers.
const createSipParticipantChannel = "SIPInternal|CreateSIPParticipant|REQ";

/** Number of livekit-sip instances subscribed in `redis` to take CreateSIPParticipant requests. */
export async function sipServicesOnBus(redis: RedisServer): Promise<number> {
  const reply = (await redis.command("PUBSUB", "NUMSUB", createSipParticipantChannel)).split("\n");
  return Number(reply[1]);
}

/**
 * Starts livekit-sip with the config rendered by the production renderer from local values: SIP
 * signaling on 127.0.0.1 and a free port, announced as 127.0.0.1, a small free RTP range, connected
 * to `livekit` and through `redis`. livekit-sip binds RTP and its health endpoint on every
 * interface (hard-coded upstream); all traffic in the tests stays on loopback. Resolves once the
 * health endpoint answers 200 and the service has subscribed on the Redis bus.
 */
export async function startLivekitSip(options: {
  livekit: Pick<LivekitServer, "wsUrl" | "apiKey" | "apiSecret">;
  redis: RedisServer;
  logDir: string;
  logLevel?: LogLevel;
  /** RTP ports to reserve (livekit-sip binds an even port per call and holds it a while after). Defaults to 20. */
  rtpPortCount?: number;
  /** Loopback address it listens on and announces (a node's own address). Defaults to 127.0.0.1. */
  host?: string;
}): Promise<LivekitSip> {
  const binary = goServerPath(goServers.livekitSip);
  requireBinaries([binary]);
  const host = options.host ?? "127.0.0.1";
  const onBusBefore = await sipServicesOnBus(options.redis);
  const sipPort = await freePort("tcp+udp");
  const rtpPorts = await freeUdpRange(options.rtpPortCount ?? 20);
  const healthPort = await freePort("tcp", "0.0.0.0");
  // livekit-sip binds its metrics on every interface too; the tests scrape it on loopback.
  const prometheusPort = await freePort("tcp", "0.0.0.0");
  const configText = renderSipConfig({
    wsUrl: options.livekit.wsUrl,
    redis: { address: options.redis.address, ...(options.redis.password !== undefined && { password: options.redis.password }) },
    sipPort,
    listenIp: host,
    rtpPorts,
    publicAddress: { staticIp: host },
    healthPort,
    prometheusPort,
    // The test machine's CPU is shared with builds and other test files; livekit-sip's default
    // admission check (refuse calls above 90% CPU) would then refuse test calls as "cpu exhausted".
    maxCpuUtilization: 1,
    logLevel: options.logLevel ?? "info",
  });
  const configPath = join(options.logDir, "sip.yaml");
  writeFileSync(configPath, configText, { mode: 0o600 });
  const process = startProcess({
    name: "livekit-sip",
    command: binary,
    args: ["--config", configPath],
    logDir: options.logDir,
    env: livekitKeysEnvironment(options.livekit),
  });
  const healthUrl = `http://127.0.0.1:${healthPort}/`;
  try {
    await waitUntil("livekit-sip answers its health check", async () => (await fetch(healthUrl)).status === 200, [process]);
    await waitUntil("livekit-sip subscribes on the Redis bus", async () => (await sipServicesOnBus(options.redis)) > onBusBefore, [process]);
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { host, sipPort, rtpPorts, healthUrl, metricsUrl: `http://127.0.0.1:${prometheusPort}/metrics`, configPath, process };
}
