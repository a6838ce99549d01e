import { versions } from "../versions";
import { stopGraceSeconds, unitStopTimeoutSeconds } from "../call-limits";
import { drainMount, redisData, retiredWorkerService, services, workerProfile } from "./compose";
import { fileNames, workerSlotsScriptPath } from "./file-names";
import { fillTemplate } from "./fill-template";
import { hostLayout, internalPorts, loadBalancerHealthPath, workerSlots } from "./host-layout";
import { caddyDataMount, sipTlsPort } from "./sip-tls";

/**
 * Caddyfile: ACME TLS on 443 for `domain`, proxied to livekit-server on loopback; a reload keeps
 * the WebSockets already proxied for up to the longest call (Caddy closes them at once otherwise).
 * With `sipHost` (secure trunking) Caddy also obtains and renews that name's certificate, which
 * livekit-sip reads.
 */
export function renderCaddyfile(domain: string, maxCallMinutes: number, sipHost?: string): string {
  const main = fillTemplate("Caddyfile", { DOMAIN: domain, LIVEKIT_PORT: internalPorts.livekitApi, STREAM_CLOSE_DELAY: `${stopGraceSeconds(maxCallMinutes)}s` });
  return withSipHost(main, sipHost);
}

/**
 * Caddyfile of a node behind the load balancer: no site for the domain (the load balancer holds
 * its certificate, and ACME for it could not reach the node), but a plain-HTTP backend on
 * {@link internalPorts.loadBalancerBackend} proxying to livekit-server, whose health path answers
 * 503 while the node's drain flag exists. The SIP host's site (secure trunking) is as on one host.
 */
export function renderLoadBalancedCaddyfile(maxCallMinutes: number, sipHost?: string): string {
  const main = fillTemplate("Caddyfile.lb-backend", {
    BACKEND_PORT: internalPorts.loadBalancerBackend,
    HEALTH_PATH: loadBalancerHealthPath,
    DRAIN_MOUNT: drainMount,
    DRAIN_FLAG: hostLayout.drainFlagName,
    LIVEKIT_PORT: internalPorts.livekitApi,
    STREAM_CLOSE_DELAY: `${stopGraceSeconds(maxCallMinutes)}s`,
  });
  return withSipHost(main, sipHost);
}

function withSipHost(main: string, sipHost: string | undefined): string {
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
 * deployment step, so no reload waits for calls to drain. Stopping raises the load balancer's drain
 * flag, then drains livekit-sip, the worker and livekit-server in turn, each for up to the longest
 * call (`maxCallMinutes`), then the rest; starting lowers the flag once the stack is up.
 */
export function renderSystemdUnit(maxCallMinutes: number): string {
  return fillTemplate("agent-studio-voice.service", {
    STACK_DIR: hostLayout.stackDir,
    PROJECT_NAME: hostLayout.composeProject,
    OPEN_FILES_LIMIT: hostLayout.openFilesLimit,
    WORKER_ENV_FILE: fileNames.workerEnv,
    WORKER_SLOTS_SCRIPT: workerSlotsScriptPath,
    SIP_SERVICE: services.sip,
    LIVEKIT_SERVICE: services.livekit,
    STOP_TIMEOUT_SECONDS: unitStopTimeoutSeconds(maxCallMinutes),
    DRAIN_DIR: hostLayout.drainDir,
    DRAIN_FLAG: `${hostLayout.drainDir}/${hostLayout.drainFlagName}`,
  });
}

/**
 * worker-slots.sh: starts, hands over and drains the worker's two slots (`workerSlots`); the unit
 * runs it at boot and at a stop, the worker's deployment step at every new image or environment.
 * A draining worker is given the longest call and a margin.
 */
export function renderWorkerSlotsScript(maxCallMinutes: number): string {
  const [first, second] = workerSlots;
  return fillTemplate("worker-slots.sh", {
    PROJECT_NAME: hostLayout.composeProject,
    STACK_DIR: hostLayout.stackDir,
    WORKER_PROFILE: workerProfile,
    SLOT_FILE: hostLayout.workerSlotFile,
    FIRST_SLOT: first.service,
    SECOND_SLOT: second.service,
    RETIRED_SERVICE: retiredWorkerService,
    DRAIN_SECONDS: stopGraceSeconds(maxCallMinutes),
  });
}

/**
 * The GCE startup script: installs Docker and compose and the pinned Ops Agent, tunes UDP buffers, lets root's docker pull
 * from the worker's Artifact Registry host (`<region>-docker.pkg.dev`) with the VM's service
 * account, installs the timer that restarts livekit-sip on a renewed SIP/TLS certificate while no
 * call is up, marks the host ready.
 */
export function renderStartupScript(registryHost: string): string {
  return fillTemplate("startup-script.sh", {
    STACK_DIR: hostLayout.stackDir,
    READY_MARKER: hostLayout.readyMarker,
    REGISTRY_HOST: registryHost,
    // The template adds the Debian 12 suffix of opsAgentPackageVersion (`~` is no template-safe value).
    OPS_AGENT_VERSION: versions.opsAgent,
    PROJECT_NAME: hostLayout.composeProject,
    SIP_SERVICE: services.sip,
    CADDY_DATA_MOUNT: caddyDataMount,
    SIP_METRICS_PORT: internalPorts.sipMetrics,
  });
}
