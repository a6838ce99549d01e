import { internalPorts } from "../runtime-config/host-layout";

/** One Prometheus endpoint on the host that the Ops Agent scrapes. */
export interface ScrapeTarget {
  /** Prometheus job name: the `job` label of every series scraped from it. */
  job: string;
  /** What serves it. */
  service: string;
  /** Loopback port. */
  port: number;
  /** HTTP path of the metrics. */
  path: string;
}

/** livekit-server, livekit-sip and the worker: every Prometheus endpoint of the stack, all on loopback. */
export const scrapeTargets: readonly ScrapeTarget[] = [
  { job: "livekit-server", service: "livekit-server", port: internalPorts.livekitMetrics, path: "/metrics" },
  { job: "livekit-sip", service: "livekit-sip", port: internalPorts.sipMetrics, path: "/metrics" },
  { job: "agent-worker", service: "the agent worker", port: internalPorts.workerMetrics, path: "/metrics" },
];

/** How often the Ops Agent scrapes each target; alert windows are several of these long. */
export const scrapeIntervalSeconds = 30;
