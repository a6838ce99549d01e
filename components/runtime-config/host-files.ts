import { redisData, services, workerProfile } from "./compose";
import { unitStopTimeoutSeconds } from "../call-limits";
import { fileNames } from "./file-names";
import { fillTemplate } from "./fill-template";
import { hostLayout, internalPorts } from "./host-layout";
import { caddyDataMount, sipTlsPort } from "./sip-tls";

/**
 * Caddyfile: ACME TLS on 443 for `domain`, proxied to livekit-server on loopback; with `sipHost`
 * (secure trunking) Caddy also obtains and renews that name's certificate, which livekit-sip reads.
 */
export function renderCaddyfile(domain: string, sipHost?: string): string {
  const main = fillTemplate("Caddyfile", { DOMAIN: domain, LIVEKIT_PORT: internalPorts.livekitApi });
  return sipHost === undefined ? main : `${main}\n${fillTemplate("Caddyfile.sip-host", { SIP_HOST: sipHost, SIP_TLS_PORT: sipTlsPort })}`;
}

/**
 * redis.conf: loopback only, protected mode; every write kept in an append-only file (fsync every
 * second) in the data volume, since Redis is the only store of LiveKit's SIP trunks and dispatch
 * rules; full memory refuses writes instead of evicting them. `dataDir` must exist (Redis refuses
 * to start otherwise); the compose volume's mount point unless a harness runs Redis elsewhere.
 */
export function renderRedisConf(dataDir: string = redisData.dir, maxMemory = "256mb"): string {
  return fillTemplate("redis.conf", { PORT: internalPorts.redis, DATA_DIR: dataDir, MAX_MEMORY: maxMemory });
}

/**
 * The systemd unit that brings the compose project up at boot with a raised open-files limit, then
 * the worker once its env file exists. Reloads (a changed compose file) leave the worker to its own
 * deployment step, so no reload waits for calls to drain. Stopping drains livekit-sip, the worker
 * and livekit-server in turn, each for up to the longest call (`maxCallMinutes`), then the rest.
 */
export function renderSystemdUnit(maxCallMinutes: number): string {
  return fillTemplate("agent-studio-voice.service", {
    STACK_DIR: hostLayout.stackDir,
    PROJECT_NAME: hostLayout.composeProject,
    OPEN_FILES_LIMIT: hostLayout.openFilesLimit,
    WORKER_ENV_FILE: fileNames.workerEnv,
    WORKER_PROFILE: workerProfile,
    WORKER_SERVICE: services.worker,
    SIP_SERVICE: services.sip,
    LIVEKIT_SERVICE: services.livekit,
    STOP_TIMEOUT_SECONDS: unitStopTimeoutSeconds(maxCallMinutes),
  });
}

/**
 * The GCE startup script: installs Docker and compose, tunes UDP buffers, lets root's docker pull
 * from the worker's Artifact Registry host (`<region>-docker.pkg.dev`) with the VM's service
 * account, installs the timer that restarts livekit-sip on a renewed SIP/TLS certificate while no
 * call is up, marks the host ready.
 */
export function renderStartupScript(registryHost: string): string {
  return fillTemplate("startup-script.sh", {
    STACK_DIR: hostLayout.stackDir,
    READY_MARKER: hostLayout.readyMarker,
    REGISTRY_HOST: registryHost,
    PROJECT_NAME: hostLayout.composeProject,
    SIP_SERVICE: services.sip,
    CADDY_DATA_MOUNT: caddyDataMount,
    SIP_METRICS_PORT: internalPorts.sipMetrics,
  });
}
