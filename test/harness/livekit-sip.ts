import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LogLevel } from "../../components/runtime-config/livekit-yaml";
import { livekitKeysEnvironment } from "../../components/runtime-config/livekit-keys";
import { renderSipConfig } from "../../components/runtime-config/sip-config";
import { goServerPath, goServers, requireBinaries } from "./binaries";
import type { LivekitServer } from "./livekit-server";
import { type ManagedProcess, startReady } from "./managed-process";
import { freePort, freeUdpRange } from "./ports";
import type { RedisServer } from "./redis";
import { waitUntil } from "./wait-until";

/** Certificate files of SIP over TLS, and the CA that issued them. */
export interface SipTlsFiles {
  /** Name the certificate is for (livekit-sip's `sip_hostname`). */
  hostname: string;
  /** PEM chain, leaf first. */
  certFile: string;
  /** PEM private key. */
  keyFile: string;
  /** PEM certificate of the issuing CA. */
  caFile: string;
}

/** A running livekit-sip. */
export interface LivekitSip {
  /** Address SIP signaling listens on and announces. */
  host: string;
  /** SIP signaling port (UDP and TCP) on {@link host}. */
  sipPort: number;
  /** RTP port range, inclusive. */
  rtpPorts: { start: number; end: number };
  /** SIP over TLS port on {@link host}, when started with `tls`. */
  tlsPort?: number;
  /** Health endpoint URL. */
  healthUrl: string;
  /** Prometheus metrics URL (on loopback). */
  metricsUrl: string;
  /** The config it runs with. */
  configPath: string;
  /** The running process, for logs and stopping; a new one after {@link restart}. */
  readonly process: ManagedProcess;
  /**
   * Stops livekit-sip as `docker compose restart` does (SIGTERM: it drains its calls) and starts it
   * again with the same config and ports; resolves once it takes calls again.
   */
  restart(): Promise<void>;
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
  /** SIP over TLS as secure trunking renders it; livekit-sip trusts `caFile` (and only it) when it dials out over TLS. Defaults to none. */
  tls?: SipTlsFiles;
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
  const tlsPort = options.tls === undefined ? undefined : await freePort("tcp");
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
    ...(options.tls !== undefined &&
      tlsPort !== undefined && {
        tls: { port: tlsPort, hostname: options.tls.hostname, certFile: options.tls.certFile, keyFile: options.tls.keyFile },
      }),
  });
  const configPath = join(options.logDir, "sip.yaml");
  writeFileSync(configPath, configText, { mode: 0o600 });
  const healthUrl = `http://127.0.0.1:${healthPort}/`;
  const launch = (): Promise<ManagedProcess> =>
    startReady(
      {
        name: "livekit-sip",
        command: binary,
        args: ["--config", configPath],
        logDir: options.logDir,
        // Go reads its trusted roots from SSL_CERT_FILE: the test CA stands in for the public ones.
        env: { ...livekitKeysEnvironment(options.livekit), ...(options.tls !== undefined && { SSL_CERT_FILE: options.tls.caFile }) },
      },
      async (started) => {
        await waitUntil("livekit-sip answers its health check", async () => (await fetch(healthUrl)).status === 200, [started]);
        await waitUntil("livekit-sip subscribes on the Redis bus", async () => (await sipServicesOnBus(options.redis)) > onBusBefore, [started]);
      },
    );
  let current = await launch();
  return {
    host,
    sipPort,
    ...(tlsPort !== undefined && { tlsPort }),
    rtpPorts,
    healthUrl,
    metricsUrl: `http://127.0.0.1:${prometheusPort}/metrics`,
    configPath,
    get process() {
      return current;
    },
    async restart() {
      current.terminate();
      await current.exited;
      await current.stop();
      current = await launch();
    },
  };
}
