/** Where the voice stack lives on the host; shared by the renderers and the deployment commands. */
export const hostLayout = {
  /** Directory holding docker-compose.yml and every rendered config file. */
  stackDir: "/opt/agent-studio-voice",
  /** Touched by the startup script once Docker is installed; deploys wait for it. */
  readyMarker: "/var/lib/agent-studio-voice/startup-done",
  /** Per deployed file, the digest of what was last installed and applied (services restarted) on this host. */
  appliedDir: "/var/lib/agent-studio-voice/applied",
  /** Which worker slot (compose service) serves: the last one a deploy started. */
  workerSlotFile: "/var/lib/agent-studio-voice/worker-slot",
  /** systemd unit that runs the compose project at boot. */
  unitName: "agent-studio-voice.service",
  /** Compose project name (container name prefix). */
  composeProject: "agent-studio-voice",
  /** Open-files limit for the stack's processes. */
  openFilesLimit: 1048576,
  /**
   * Behind the load balancer: while a file named {@link drainFlagName} exists in this directory the
   * node's health check answers 503, so the load balancer sends it no new connection.
   */
  drainDir: "/var/lib/agent-studio-voice/drain",
  /** The drain flag's file name in {@link drainDir}. */
  drainFlagName: "draining",
} as const;

/** The public ports that no config moves: Caddy's TLS and ACME listeners, and SSH for deploys (admin CIDRs only). */
export const fixedPublicPorts = {
  /** Caddy: TLS for signaling (wss). */
  caddyTls: 443,
  /** Caddy: ACME HTTP-01 for its certificate. */
  acmeHttp: 80,
  /** SSH for deploys. */
  ssh: 22,
} as const;

/** Ports of the internal services: bound to loopback where the service allows it, and never opened by any firewall rule. */
export const internalPorts = {
  /** livekit-server HTTP API and signaling, behind Caddy. */
  livekitApi: 7880,
  /** Redis, shared by livekit-server and livekit-sip. */
  redis: 6379,
  /** livekit-server Prometheus metrics. */
  livekitMetrics: 6789,
  /** livekit-sip health endpoint (livekit-sip binds it on every interface; only the firewall keeps it private). */
  sipHealth: 8080,
  /** livekit-sip Prometheus metrics (bound on every interface like the health port; the firewall keeps it private). */
  sipMetrics: 6790,
  /** Caddy admin API. */
  caddyAdmin: 2019,
  /** Health endpoint of the worker in slot A (LiveKit Agents' production default; bound on loopback). */
  workerHealthA: 8081,
  /** Prometheus metrics of the worker in slot A (bound on loopback). */
  workerMetricsA: 8082,
  /** Health endpoint of the worker in slot B: both slots run side by side on the host network during a deploy. */
  workerHealthB: 8083,
  /** Prometheus metrics of the worker in slot B. */
  workerMetricsB: 8084,
  /**
   * With several nodes: Caddy's plain-HTTP backend of the load balancer (signaling and API to
   * livekit-server, and the drain-aware health check), open to the load balancer's ranges only.
   */
  loadBalancerBackend: 7890,
} as const;

/**
 * The worker runs in one of two compose services, its slots, each with its own health and metrics
 * ports (they share the host network). A deploy starts the idle slot with the new image or environment and,
 * once that worker is registered with LiveKit, drains the other: the stack is never without a
 * registered worker, and calls in progress end on the worker that took them.
 */
export const workerSlots = [
  { service: "worker-a", healthPort: internalPorts.workerHealthA, metricsPort: internalPorts.workerMetricsA },
  { service: "worker-b", healthPort: internalPorts.workerHealthB, metricsPort: internalPorts.workerMetricsB },
] as const;

/** A worker slot, as {@link workerSlots} lists them. */
export type WorkerSlot = (typeof workerSlots)[number];

/** What listens on each internal port, for the policy pack and the doctor's closed-port check. */
export const internalServices: readonly { port: number; what: string }[] = [
  { port: internalPorts.livekitApi, what: "the LiveKit API" },
  { port: internalPorts.redis, what: "Redis" },
  { port: internalPorts.livekitMetrics, what: "livekit-server metrics" },
  { port: internalPorts.sipMetrics, what: "livekit-sip metrics" },
  { port: internalPorts.sipHealth, what: "the livekit-sip health endpoint" },
  { port: internalPorts.caddyAdmin, what: "the Caddy admin API" },
  { port: internalPorts.workerHealthA, what: "the health endpoint of worker slot A" },
  { port: internalPorts.workerMetricsA, what: "the metrics endpoint of worker slot A" },
  { port: internalPorts.workerHealthB, what: "the health endpoint of worker slot B" },
  { port: internalPorts.workerMetricsB, what: "the metrics endpoint of worker slot B" },
  { port: internalPorts.loadBalancerBackend, what: "Caddy's load balancer backend (the load balancer's ranges only)" },
];

/** Path of the load balancer's health check on {@link internalPorts.loadBalancerBackend}: 503 while the node drains. */
export const loadBalancerHealthPath = "/lb-health";
