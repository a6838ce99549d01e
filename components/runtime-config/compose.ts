import { composeStopGracePeriod } from "../call-limits";
import { composeServiceLabel } from "../observability/ops-agent-config";
import { fileNames } from "./file-names";
import { toGoYaml } from "./go-yaml";
import { hostLayout, internalPorts, type WorkerSlot, workerSlots } from "./host-layout";
import { caddyDataMount } from "./sip-tls";

/** Images the compose file runs (each pinned to a release, a content tag or a digest) and the longest call. */
export interface ComposeInput {
  /** Tag of `livekit/livekit-server`. */
  livekitServerVersion: string;
  /** Tag of `livekit/sip`. */
  livekitSipVersion: string;
  /** Tag of `redis`. */
  redisVersion: string;
  /** Tag of `caddy`. */
  caddyVersion: string;
  /** Full reference of the agent worker image (`WorkerImage`): digest- or content-tag-pinned. */
  workerImage: string;
  /** The longest call in minutes (`maxCallMinutes`): the stop grace of every call-carrying service. */
  maxCallMinutes: number;
  /** Secure trunking: livekit-sip mounts Caddy's data volume read-only for its SIP/TLS certificate. Defaults to false. */
  sipReadsCaddyCertificates?: boolean;
  /**
   * A node of several: Redis is the shared Memorystore instance (no redis service here), and Caddy
   * mounts the host's drain flag directory read-only for its load balancer health check. Defaults to false.
   */
  sharedRedis?: boolean;
}

/** Compose service names; deployment commands restart services by these names. */
export const services = {
  redis: "redis",
  livekit: "livekit",
  sip: "sip",
  caddy: "caddy",
} as const;

/** The single worker service of stacks deployed before the slots; the first handover drains it like a slot. */
export const retiredWorkerService = "worker";

/**
 * Compose profile of the worker. Its environment holds the outbound trunk's ID, which exists only
 * once the stack is up and LiveKit's trunks are created; so the stack's own `up` leaves the worker
 * alone, and the worker's deployment step (and the systemd unit at boot, once the env file exists)
 * starts it with this profile.
 */
export const workerProfile = "worker";

/**
 * Redis's data directory in its container, a named volume of the compose project: the append-only
 * file there outlives a recreated container, a `docker compose down` (the unit's stop) and a reboot.
 */
export const redisData = { volume: "redis-data", dir: "/data" } as const;

/**
 * livekit-sip's start under secure trunking: waits for the `cert_file` and `key_file` its config
 * names (as renderSipConfig writes them: one certificate, plain paths), then becomes livekit-sip.
 * `$$` is compose's escape of `$`.
 */
export const sipAfterCertificate =
  "cert=$$(sed -n 's/^ *- cert_file: //p' /sip/config.yaml); key=$$(sed -n 's/^ *key_file: //p' /sip/config.yaml); " +
  'until [ -s "$$cert" ] && [ -s "$$key" ]; do sleep 2; done; exec livekit-sip --config=/sip/config.yaml';

/** Where Caddy's container mounts the host's drain flag directory (`hostLayout.drainDir`), read-only. */
export const drainMount = "/drain";

/** Caddy's data volume: its ACME account and certificates, which livekit-sip reads under secure trunking. */
const caddyData = "caddy-data";

// `labels` copies the compose service's name into every log line's `attrs`: the Ops Agent reads
// these files and names each line's service from it (components/observability/ops-agent-config.ts).
const logging = { driver: "json-file", options: { "max-size": "50m", "max-file": "5", labels: composeServiceLabel } };
const nofile = { nofile: { soft: 1048576, hard: 1048576 } };
const healthTiming = { interval: "10s", timeout: "5s", retries: 6, start_period: "20s" };

/**
 * A worker slot's service definition: host network (it reaches livekit-server on 127.0.0.1:7880 and
 * serves its health endpoint on loopback, on the slot's port), its environment from the mode-0600
 * env file, started after livekit-server is healthy, healthy while registered with LiveKit. On
 * SIGTERM it takes no new calls and waits for active ones to end, for up to the longest call.
 */
export function renderWorkerService(workerImage: string, maxCallMinutes: number, slot: WorkerSlot) {
  return {
    image: workerImage,
    profiles: [workerProfile],
    network_mode: "host",
    restart: "unless-stopped",
    env_file: [`./${fileNames.workerEnv}`],
    environment: { HEALTH_PORT: String(slot.healthPort), METRICS_PORT: String(slot.metricsPort) },
    depends_on: { [services.livekit]: { condition: "service_healthy" } },
    stop_grace_period: composeStopGracePeriod(maxCallMinutes),
    // The image has node and no wget/curl; GET / answers 200 only while the worker is registered.
    healthcheck: {
      test: [
        "CMD",
        "node",
        "-e",
        `fetch("http://127.0.0.1:${slot.healthPort}/").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
      ],
      ...healthTiming,
    },
    logging,
  };
}

/**
 * docker-compose.yml: every service on the host network (WebRTC and RTP need the real ports and
 * addresses), pinned images, health checks and restart policies. livekit-sip and livekit-server get
 * the longest call as their stop grace: on SIGTERM livekit-sip takes no new call and waits for its
 * calls to end, livekit-server waits for every participant to leave (a second signal, compose's
 * SIGKILL after the grace, forces). Built as an object and serialized with `yaml`, so no value can
 * add structure.
 */
export function renderCompose(input: ComposeInput): string {
  const shared = input.sharedRedis ?? false;
  // On one host livekit-server and livekit-sip start once the local Redis is healthy.
  const afterRedis = shared ? {} : { [services.redis]: { condition: "service_healthy" } };
  const localRedis = {
      [services.redis]: {
        image: `redis:${input.redisVersion}`,
        network_mode: "host",
        restart: "unless-stopped",
        command: ["redis-server", "/usr/local/etc/redis/redis.conf"],
        volumes: [`./${fileNames.redis}:/usr/local/etc/redis/redis.conf:ro`, `${redisData.volume}:${redisData.dir}`],
        healthcheck: { test: ["CMD", "redis-cli", "-h", "127.0.0.1", "-p", String(internalPorts.redis), "ping"], ...healthTiming },
        logging,
      },
  };
  const compose = {
    name: "agent-studio-voice",
    services: {
      ...(!shared && localRedis),
      [services.livekit]: {
        image: `livekit/livekit-server:${input.livekitServerVersion}`,
        network_mode: "host",
        restart: "unless-stopped",
        command: ["--config", "/etc/livekit.yaml"],
        volumes: [`./${fileNames.livekit}:/etc/livekit.yaml:ro`],
        env_file: [`./${fileNames.livekitKeys}`],
        ...(!shared && { depends_on: afterRedis }),
        stop_grace_period: composeStopGracePeriod(input.maxCallMinutes),
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
        volumes: [`./${fileNames.sip}:/sip/config.yaml:ro`, ...(input.sipReadsCaddyCertificates ? [`${caddyData}:${caddyDataMount}:ro`] : [])],
        // livekit-sip exits when its certificate files are missing, as they are until Caddy's first
        // issuance: it starts once the files its config names exist (read from the config, so a new
        // domain changes only the config; exec: SIGTERM still reaches it, and drains).
        ...(input.sipReadsCaddyCertificates && { entrypoint: ["bash", "-c", sipAfterCertificate] }),
        env_file: [`./${fileNames.livekitKeys}`],
        depends_on: {
          ...afterRedis,
          [services.livekit]: { condition: "service_healthy" },
        },
        stop_grace_period: composeStopGracePeriod(input.maxCallMinutes),
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
        volumes: [
          `./${fileNames.caddy}:/etc/caddy/Caddyfile:ro`,
          `${caddyData}:/data`,
          "caddy-config:/config",
          // Bind-mounted as a directory, so the flag's creation and removal are seen inside.
          ...(shared ? [`${hostLayout.drainDir}:${drainMount}:ro`] : []),
        ],
        depends_on: { [services.livekit]: { condition: "service_healthy" } },
        healthcheck: {
          test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${internalPorts.caddyAdmin}/config/`],
          ...healthTiming,
        },
        logging,
      },
      ...Object.fromEntries(workerSlots.map((slot) => [slot.service, renderWorkerService(input.workerImage, input.maxCallMinutes, slot)])),
    },
    volumes: { ...(!shared && { [redisData.volume]: {} }), [caddyData]: {}, "caddy-config": {} },
  };
  return toGoYaml(compose);
}
