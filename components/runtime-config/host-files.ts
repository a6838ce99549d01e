import { fillTemplate } from "./fill-template";
import { hostLayout, internalPorts } from "./host-layout";

/** Caddyfile: ACME TLS on 443 for `domain`, proxied to livekit-server on loopback. */
export function renderCaddyfile(domain: string): string {
  return fillTemplate("Caddyfile", { DOMAIN: domain, LIVEKIT_PORT: internalPorts.livekitApi });
}

/** redis.conf: loopback only, protected mode, no persistence (it only carries the LiveKit bus). */
export function renderRedisConf(maxMemory = "256mb"): string {
  return fillTemplate("redis.conf", { PORT: internalPorts.redis, MAX_MEMORY: maxMemory });
}

/** The systemd unit that brings the compose project up at boot with a raised open-files limit. */
export function renderSystemdUnit(): string {
  return fillTemplate("agent-studio-voice.service", {
    STACK_DIR: hostLayout.stackDir,
    PROJECT_NAME: hostLayout.composeProject,
    OPEN_FILES_LIMIT: hostLayout.openFilesLimit,
  });
}

/** The GCE startup script: installs Docker and compose, tunes UDP buffers, marks the host ready. */
export function renderStartupScript(): string {
  return fillTemplate("startup-script.sh", { STACK_DIR: hostLayout.stackDir, READY_MARKER: hostLayout.readyMarker });
}
