import { opsAgentConfigPath, renderOpsAgentConfig } from "../observability/ops-agent-config";
import { scrapeTargets } from "../observability/scrape-targets";
import { opsAgentPackageVersion, versions } from "../versions";
import { renderCompose, services } from "./compose";
import { fileNames, workerSlotsScriptPath } from "./file-names";
import { hostLayout, internalPorts } from "./host-layout";
import { renderCaddyfile, renderLoadBalancedCaddyfile, renderRedisConf, renderSystemdUnit, renderWorkerSlotsScript } from "./host-files";
import { type LivekitKeys, renderLivekitKeysEnv } from "./livekit-keys";
import { renderLivekitYaml, type LogLevel } from "./livekit-yaml";
import { renderSipConfig } from "./sip-config";
import { sipCertificateFiles, sipHostName, sipTlsPort } from "./sip-tls";

/** The runtime files without a secret: plain in state and in a preview's diff. */
export type PlainFileId = "compose" | "livekit" | "sip" | "redis" | "caddy" | "systemdUnit" | "workerSlots" | "opsAgent";

/** The runtime file that holds the LiveKit key pair: secret, and small. */
export type SecretFileId = "livekitKeys";

/** The runtime files deployed to the host. */
export type RuntimeFileId = PlainFileId | SecretFileId;

/** What the host does after a file changed, so only what reads it restarts. */
export type ChangeAction =
  | { kind: "recreate-services"; services: string[] }
  | { kind: "reload-caddy"; service: string }
  | { kind: "reload-unit" }
  | { kind: "reload-stack" }
  | { kind: "hand-over-worker"; script: string }
  | { kind: "restart-ops-agent"; packageVersion: string }
  | { kind: "none" };

/** A file the deployment writes to the host, and how it is installed. */
export interface HostFile {
  /** Absolute path on the host. */
  path: string;
  /** File content. */
  content: string;
  /** File mode; files holding credentials are readable by root only. */
  mode: "0600" | "0644";
  /** What to do on the host after the content changed. */
  onChange: ChangeAction;
}

/** One rendered runtime file. */
export interface RuntimeFile extends HostFile {
  /** Which file this is. */
  id: RuntimeFileId;
}

/** The values the plain runtime files are rendered from: no secret among them. */
export interface RuntimeInput {
  /** Public DNS name for TLS and signaling. */
  domain: string;
  /** The host's static external IP, advertised in ICE candidates and SDP. */
  staticIp: string;
  /** Log level of livekit-server and livekit-sip. */
  logLevel: LogLevel;
  /** Public ports. */
  ports: { rtcTcp: number; rtcUdp: number; sip: number; rtpStart: number; rtpEnd: number; turnUdp: number };
  /** Whether embedded TURN/UDP is on. */
  turnEnabled: boolean;
  /** Secure trunking: livekit-sip takes SIP over TLS for `sip.<domain>` with the certificate Caddy keeps for it. */
  secureTrunking: boolean;
  /** Pinned image tags. */
  versions: { livekitServer: string; livekitSip: string; redis: string; caddy: string };
  /** Pinned reference of the agent worker image. */
  workerImage: string;
  /** The longest call in minutes: the call-carrying services' stop grace and the unit's stop timeout. */
  maxCallMinutes: number;
  /** A node of several (`nodes` ≥ 2). Defaults to none: the single host with its own Redis, serving the domain itself. */
  node?: NodeRuntimeInput;
}

/** What a node of several renders differently from the single host. */
export interface NodeRuntimeInput {
  /** Its index: node 0 keeps the single host's names (its SIP host name `sip.<domain>`), node i takes `sip-<i>.<domain>`. */
  index: number;
  /**
   * The shared Memorystore instance (`host:port`) and its AUTH string. The string goes into the SIP
   * config, which is then secret, and into the key pair's env file as livekit-server's `REDIS_PASSWORD`.
   */
  redis: { address: string; password: string };
}

/** The files a node runs: each single-host file, but redis.conf on a node of several (it runs no Redis). */
export type RenderedRuntimeFiles = Omit<Record<PlainFileId, RuntimeFile>, "redis"> & { redis?: RuntimeFile };

/** Where each runtime file lives on the host. */
export const runtimeFilePaths: Record<RuntimeFileId, string> = {
  compose: `${hostLayout.stackDir}/${fileNames.compose}`,
  livekit: `${hostLayout.stackDir}/${fileNames.livekit}`,
  sip: `${hostLayout.stackDir}/${fileNames.sip}`,
  redis: `${hostLayout.stackDir}/${fileNames.redis}`,
  caddy: `${hostLayout.stackDir}/${fileNames.caddy}`,
  systemdUnit: `/etc/systemd/system/${fileNames.systemdUnit}`,
  workerSlots: workerSlotsScriptPath,
  opsAgent: opsAgentConfigPath,
  livekitKeys: `${hostLayout.stackDir}/${fileNames.livekitKeys}`,
};

const redisAddress = `127.0.0.1:${internalPorts.redis}`;

const file = (id: RuntimeFileId, content: string, mode: RuntimeFile["mode"], onChange: ChangeAction): RuntimeFile => ({
  id,
  path: runtimeFilePaths[id],
  content,
  mode,
  onChange,
});

/**
 * Renders every runtime file but the key pair's for production from one set of values. Pure: the
 * same input always gives the same files, so content hashes only change when a file's own inputs
 * change.
 */
export function renderRuntimeFiles(input: RuntimeInput): RenderedRuntimeFiles {
  const node = input.node;
  const sipHost = input.secureTrunking ? sipHostName(input.domain, node?.index) : undefined;
  // livekit-server reads the password from REDIS_PASSWORD (the key pair's env file): livekit.yaml stays plain.
  const livekitRedis = { address: node?.redis.address ?? redisAddress };
  const sipRedis = node === undefined ? { address: redisAddress } : { address: node.redis.address, password: node.redis.password };
  return {
    livekit: file(
      "livekit",
      renderLivekitYaml({
        port: internalPorts.livekitApi,
        bindAddresses: ["127.0.0.1"],
        rtc: { tcpPort: input.ports.rtcTcp, udpPort: input.ports.rtcUdp, publicAddress: { staticIp: input.staticIp } },
        redis: livekitRedis,
        ...(input.turnEnabled && { turn: { udpPort: input.ports.turnUdp } }),
        prometheusPort: internalPorts.livekitMetrics,
        logLevel: input.logLevel,
      }),
      "0644",
      { kind: "recreate-services", services: [services.livekit] },
    ),
    sip: file(
      "sip",
      renderSipConfig({
        wsUrl: `ws://127.0.0.1:${internalPorts.livekitApi}`,
        redis: sipRedis,
        sipPort: input.ports.sip,
        rtpPorts: { start: input.ports.rtpStart, end: input.ports.rtpEnd },
        publicAddress: { staticIp: input.staticIp },
        healthPort: internalPorts.sipHealth,
        prometheusPort: internalPorts.sipMetrics,
        logLevel: input.logLevel,
        ...(sipHost !== undefined && { tls: { port: sipTlsPort, hostname: sipHost, ...sipCertificateFiles(sipHost) } }),
      }),
      node === undefined ? "0644" : "0600",
      { kind: "recreate-services", services: [services.sip] },
    ),
    ...(node === undefined && { redis: file("redis", renderRedisConf(), "0644", { kind: "recreate-services", services: [services.redis] }) }),
    caddy: file(
      "caddy",
      node === undefined ? renderCaddyfile(input.domain, input.maxCallMinutes, sipHost) : renderLoadBalancedCaddyfile(input.maxCallMinutes, sipHost),
      "0644",
      { kind: "reload-caddy", service: services.caddy },
    ),
    systemdUnit: file("systemdUnit", renderSystemdUnit(input.maxCallMinutes), "0644", { kind: "reload-unit" }),
    // Read only when run (at boot, at a stop, by the worker's deployment step): nothing to restart.
    workerSlots: file("workerSlots", renderWorkerSlotsScript(input.maxCallMinutes), "0644", { kind: "none" }),
    // Ships the containers' logs and the services' metrics to Cloud Logging and Monitoring.
    opsAgent: file("opsAgent", renderOpsAgentConfig(scrapeTargets, versions.opsAgent), "0644", { kind: "restart-ops-agent", packageVersion: opsAgentPackageVersion }),
    compose: file(
      "compose",
      renderCompose({
        livekitServerVersion: input.versions.livekitServer,
        livekitSipVersion: input.versions.livekitSip,
        redisVersion: input.versions.redis,
        caddyVersion: input.versions.caddy,
        workerImage: input.workerImage,
        maxCallMinutes: input.maxCallMinutes,
        sipReadsCaddyCertificates: input.secureTrunking,
        sharedRedis: node !== undefined,
      }),
      "0644",
      { kind: "reload-stack" },
    ),
  };
}

/**
 * The env file with the LiveKit key pair (mode 0600), read by livekit-server and livekit-sip, and on
 * a node of several the shared Redis's AUTH string (`redisPassword`); a change recreates both.
 */
export function renderLivekitKeysFile(keys: LivekitKeys, redisPassword?: string): RuntimeFile {
  return file("livekitKeys", renderLivekitKeysEnv(keys, redisPassword), "0600", { kind: "recreate-services", services: [services.livekit, services.sip] });
}
