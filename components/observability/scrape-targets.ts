import { internalPorts, workerSlots } from "../runtime-config/host-layout";

/** One Prometheus endpoint on the host that the Ops Agent scrapes. */
export interface ScrapeTarget {
  /** Prometheus job name: the `job` label of every series scraped from it. */
  job: string;
  /** What serves it. */
  service: string;
  /** Loopback ports: one per process serving the job (the worker's two slots). */
  ports: readonly number[];
  /** HTTP path of the metrics. */
  path: string;
}

/** livekit-server, livekit-sip and the worker: every Prometheus endpoint of the stack, all on loopback. */
export const scrapeTargets: readonly ScrapeTarget[] = [
  { job: "livekit-server", service: "livekit-server", ports: [internalPorts.livekitMetrics], path: "/metrics" },
  { job: "livekit-sip", service: "livekit-sip", ports: [internalPorts.sipMetrics], path: "/metrics" },
  // Both slots: during a handover both serve calls; the idle slot's target is simply down.
  { job: "agent-worker", service: "the agent worker", ports: workerSlots.map((slot) => slot.metricsPort), path: "/metrics" },
];

/** How often the Ops Agent scrapes each target; alert windows are several of these long. */
export const scrapeIntervalSeconds = 30;
