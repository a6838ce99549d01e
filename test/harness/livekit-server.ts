import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { livekitKeysEnvironment } from "../../components/runtime-config/livekit-keys";
import { type LogLevel, renderLivekitYaml } from "../../components/runtime-config/livekit-yaml";
import { goServerPath, goServers, requireBinaries } from "./binaries";
import { type ManagedProcess, startProcess } from "./managed-process";
import { freePort } from "./ports";
import { waitUntil } from "./wait-until";

/** API credentials of a harness livekit-server. */
export interface ApiCredentials {
  apiKey: string;
  apiSecret: string;
}

/** A running livekit-server on loopback. */
export interface LivekitServer extends ApiCredentials {
  /** HTTP API base URL (`http://127.0.0.1:<port>`), what livekit-server-sdk clients take. */
  url: string;
  /** WebSocket signaling URL (`ws://127.0.0.1:<port>`), what livekit-sip and room clients take. */
  wsUrl: string;
  /** API and signaling port. */
  port: number;
  /** ICE/UDP port. */
  udpPort: number;
  /** Embedded TURN/UDP port. */
  turnUdpPort: number;
  /** Prometheus metrics port. */
  prometheusPort: number;
  /** The livekit.yaml it runs with. */
  configPath: string;
  /** The process, for logs and stopping. */
  process: ManagedProcess;
}

/** Fresh credentials: a key and a random secret of the length livekit-server requires. */
export function localCredentials(): ApiCredentials {
  return { apiKey: "harness", apiSecret: randomBytes(32).toString("base64url") };
}

/**
 * Starts livekit-server on `configText` written to `<logDir>/livekit.yaml`, with the key pair in its
 * environment as production's env file gives it. No `--disable-strict-config`: livekit-server then
 * rejects any key it does not know.
 */
export function launchLivekitServer(
  configText: string,
  logDir: string,
  credentials: ApiCredentials,
): { process: ManagedProcess; configPath: string } {
  const binary = goServerPath(goServers.livekitServer);
  requireBinaries([binary]);
  const configPath = join(logDir, "livekit.yaml");
  writeFileSync(configPath, configText, { mode: 0o600 });
  const process = startProcess({
    name: "livekit-server",
    command: binary,
    args: ["--config", configPath],
    logDir,
    env: livekitKeysEnvironment(credentials),
  });
  return { process, configPath };
}

/** Resolves once livekit-server's health check (`GET /`) answers 200 "OK". */
export function waitForLivekitHealth(url: string, process: ManagedProcess): Promise<void> {
  return waitUntil(
    "livekit-server answers its health check",
    async () => {
      const response = await fetch(`${url}/`);
      return response.status === 200 && (await response.text()) === "OK";
    },
    [process],
  );
}

/**
 * Starts livekit-server with livekit.yaml rendered by the production renderer from local values:
 * every listener on 127.0.0.1 and a free port, ICE/TCP off (it can only bind every interface),
 * loopback ICE candidates, embedded TURN/UDP on, Redis at `redisAddress`.
 */
export async function startLivekitServer(options: {
  redisAddress: string;
  /** Redis's AUTH password, when it requires one. */
  redisPassword?: string;
  logDir: string;
  logLevel?: LogLevel;
  credentials?: ApiCredentials;
}): Promise<LivekitServer> {
  const credentials = options.credentials ?? localCredentials();
  const port = await freePort("tcp");
  const udpPort = await freePort("udp");
  const turnUdpPort = await freePort("udp");
  const prometheusPort = await freePort("tcp");
  const configText = renderLivekitYaml({
    port,
    bindAddresses: ["127.0.0.1"],
    rtc: {
      tcpPort: null,
      udpPort,
      publicAddress: { staticIp: "127.0.0.1" },
      ipIncludes: ["127.0.0.1/32"],
      loopbackCandidates: true,
    },
    redis: { address: options.redisAddress, ...(options.redisPassword !== undefined && { password: options.redisPassword }) },
    turn: { udpPort: turnUdpPort, bindAddresses: ["127.0.0.1"] },
    prometheusPort,
    logLevel: options.logLevel ?? "info",
  });
  const { process, configPath } = launchLivekitServer(configText, options.logDir, credentials);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForLivekitHealth(url, process);
  } catch (error) {
    await process.stop();
    throw error;
  }
  return {
    ...credentials,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    udpPort,
    turnUdpPort,
    prometheusPort,
    configPath,
    process,
  };
}
