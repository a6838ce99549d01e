/**
 * livekit-sip for the benchmark: the harness's start sequence with an RTP range sized for the
 * capacity levels. livekit-sip takes an even port per call (pkg/sip/media_port.go,
 * ListenUDPEvenPortRange), so the harness's 20-port range would cap the ramp at 10 calls.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { livekitKeysEnvironment } from "../components/runtime-config/livekit-keys";
import { renderSipConfig } from "../components/runtime-config/sip-config";
import { goServerPath, goServers, requireBinaries } from "../test/harness/binaries";
import type { LivekitServer } from "../test/harness/livekit-server";
import { type LivekitSip, sipServicesOnBus } from "../test/harness/livekit-sip";
import { startProcess } from "../test/harness/managed-process";
import { freePort, freeUdpRange } from "../test/harness/ports";
import type { RedisServer } from "../test/harness/redis";
import { waitUntil } from "../test/harness/wait-until";

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
export async function startBenchSip(options: {
  livekit: Pick<LivekitServer, "wsUrl" | "apiKey" | "apiSecret">;
  redis: RedisServer;
  logDir: string;
  maxCalls: number;
}): Promise<LivekitSip> {
  const binary = goServerPath(goServers.livekitSip);
  requireBinaries([binary]);
  const host = "127.0.0.1";
  const sipPort = await freePort("tcp+udp");
  const rtpPorts = await freeUdpRange(options.maxCalls * RTP_PORTS_PER_CALL);
  const healthPort = await freePort("tcp", "0.0.0.0");
  const configText = renderSipConfig({
    wsUrl: options.livekit.wsUrl,
    redis: { address: options.redis.address },
    sipPort,
    listenIp: host,
    rtpPorts,
    publicAddress: { staticIp: host },
    healthPort,
    maxCpuUtilization: 1,
    logLevel: "info",
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
    await waitUntil("livekit-sip subscribes on the Redis bus", async () => (await sipServicesOnBus(options.redis)) > 0, [process]);
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { host, sipPort, rtpPorts, healthUrl, configPath, process };
}
