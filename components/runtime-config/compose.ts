import { stringify } from "yaml";
import { fileNames } from "./file-names";
import { internalPorts } from "./host-layout";

/** Image tags the compose file runs; each pinned to a release. */
export interface ComposeInput {
  /** Tag of `livekit/livekit-server`. */
  livekitServerVersion: string;
  /** Tag of `livekit/sip`. */
  livekitSipVersion: string;
  /** Tag of `redis`. */
  redisVersion: string;
  /** Tag of `caddy`. */
  caddyVersion: string;
}

/** Compose service names; deployment commands restart services by these names. */
export const services = {
  redis: "redis",
  livekit: "livekit",
  sip: "sip",
  caddy: "caddy",
} as const;

const logging = { driver: "json-file", options: { "max-size": "50m", "max-file": "5" } };
const nofile = { nofile: { soft: 1048576, hard: 1048576 } };
const healthTiming = { interval: "10s", timeout: "5s", retries: 6, start_period: "20s" };

/**
 * docker-compose.yml: every service on the host network (WebRTC and RTP need the real ports and
 * addresses), pinned images, health checks and restart policies. Built as an object and serialized
 * with `yaml`, so no value can add structure.
 */
export function renderCompose(input: ComposeInput): string {
  const compose = {
    name: "agent-studio-voice",
    services: {
      [services.redis]: {
        image: `redis:${input.redisVersion}`,
        network_mode: "host",
        restart: "unless-stopped",
        command: ["redis-server", "/usr/local/etc/redis/redis.conf"],
        volumes: [`./${fileNames.redis}:/usr/local/etc/redis/redis.conf:ro`],
        healthcheck: { test: ["CMD", "redis-cli", "-h", "127.0.0.1", "-p", String(internalPorts.redis), "ping"], ...healthTiming },
        logging,
      },
      [services.livekit]: {
        image: `livekit/livekit-server:${input.livekitServerVersion}`,
        network_mode: "host",
        restart: "unless-stopped",
        command: ["--config", "/etc/livekit.yaml"],
        volumes: [`./${fileNames.livekit}:/etc/livekit.yaml:ro`],
        depends_on: { [services.redis]: { condition: "service_healthy" } },
        ulimits: nofile,
        healthcheck: {
          test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${internalPorts.livekitApi}/`],
          ...healthTiming,
        },
        logging,
      },
      [services.sip]: {
        image: `livekit/sip:${input.livekitSipVersion}`,
        network_mode: "host",
        restart: "unless-stopped",
        // The image's entrypoint reads /sip/config.yaml (livekit/sip build/sip/Dockerfile).
        volumes: [`./${fileNames.sip}:/sip/config.yaml:ro`],
        depends_on: {
          [services.redis]: { condition: "service_healthy" },
          [services.livekit]: { condition: "service_healthy" },
        },
        ulimits: nofile,
        // The sip image ships neither wget nor curl; bash's /dev/tcp asks the health endpoint.
        healthcheck: {
          test: [
            "CMD",
            "bash",
            "-c",
            `exec 3<>/dev/tcp/127.0.0.1/${internalPorts.sipHealth} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3`,
          ],
          ...healthTiming,
        },
        logging,
      },
      [services.caddy]: {
        image: `caddy:${input.caddyVersion}`,
        network_mode: "host",
        restart: "unless-stopped",
        volumes: [`./${fileNames.caddy}:/etc/caddy/Caddyfile:ro`, "caddy-data:/data", "caddy-config:/config"],
        depends_on: { [services.livekit]: { condition: "service_healthy" } },
        healthcheck: {
          test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${internalPorts.caddyAdmin}/config/`],
          ...healthTiming,
        },
        logging,
      },
    },
    volumes: { "caddy-data": {}, "caddy-config": {} },
  };
  return stringify(compose, { lineWidth: 0, aliasDuplicateObjects: false });
}
