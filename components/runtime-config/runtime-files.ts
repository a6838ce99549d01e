import { opsAgentConfigPath, renderOpsAgentConfig } from "../observability/ops-agent-config";
import { scrapeTargets } from "../observability/scrape-targets";
import { opsAgentPackageVersion, versions } from "../versions";
import { renderCompose, services } from "./compose";
import { fileNames } from "./file-names";
import { hostLayout, internalPorts } from "./host-layout";
import { renderCaddyfile, renderRedisConf, renderSystemdUnit, renderWorkerSlotsScript } from "./host-files";
import { type LivekitKeys, renderLivekitKeysEnv } from "./livekit-keys";
import { renderLivekitYaml, type LogLevel } from "./livekit-yaml";
import { renderSipConfig } from "./sip-config";
import { workerSlotsScriptPath } from "./worker-env";
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
}

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
export function renderRuntimeFiles(input: RuntimeInput): Record<PlainFileId, RuntimeFile> {
  const sipHost = input.secureTrunking ? sipHostName(input.domain) : undefined;
  return {
    livekit: file(
      "livekit",
      renderLivekitYaml({
        port: internalPorts.livekitApi,
        bindAddresses: ["127.0.0.1"],
        rtc: { tcpPort: input.ports.rtcTcp, udpPort: input.ports.rtcUdp, publicAddress: { staticIp: input.staticIp } },
        redis: { address: redisAddress },
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
        redis: { address: redisAddress },
        sipPort: input.ports.sip,
        rtpPorts: { start: input.ports.rtpStart, end: input.ports.rtpEnd },
        publicAddress: { staticIp: input.staticIp },
        healthPort: internalPorts.sipHealth,
        prometheusPort: internalPorts.sipMetrics,
        logLevel: input.logLevel,
        ...(sipHost !== undefined && { tls: { port: sipTlsPort, hostname: sipHost, ...sipCertificateFiles(sipHost) } }),
      }),
      "0644",
      { kind: "recreate-services", services: [services.sip] },
    ),
    redis: file("redis", renderRedisConf(), "0644", { kind: "recreate-services", services: [services.redis] }),
    caddy: file("caddy", renderCaddyfile(input.domain, input.maxCallMinutes, sipHost), "0644", { kind: "reload-caddy", service: services.caddy }),
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
      }),
      "0644",
      { kind: "reload-stack" },
    ),
  };
}

/**
 * The env file with the LiveKit key pair (mode 0600), read by livekit-server and livekit-sip; a new
 * pair recreates both.
 */
export function renderLivekitKeysFile(keys: LivekitKeys): RuntimeFile {
  return file("livekitKeys", renderLivekitKeysEnv(keys), "0600", { kind: "recreate-services", services: [services.livekit, services.sip] });
}
