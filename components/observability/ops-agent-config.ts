import { toGoYaml } from "../runtime-config/go-yaml";
import { scrapeIntervalSeconds, type ScrapeTarget } from "./scrape-targets";

/** Where the Ops Agent reads its config on the host. */
export const opsAgentConfigPath = "/etc/google-cloud-ops-agent/config.yaml";

/** Docker's json-file logs of every container on the host (compose's logging driver). */
export const containerLogPaths = ["/var/lib/docker/containers/*/*-json.log"];

/**
 * The compose label docker's json-file driver copies into each line's `attrs` (the compose file's
 * logging option `labels`), so every line names its service.
 */
export const composeServiceLabel = "com.docker.compose.service";

/** Prefix of the log entry labels the Ops Agent sets from the parsed lines. */
export const logLabelPrefix = "agent-studio-voice";

/**
 * Levels livekit-server and livekit-sip (zap: debug…fatal) and the worker (info, warn, error) write,
 * as Cloud Logging severities. LiveKit Agents' own lines carry pino's numeric levels, which the
 * agent's string comparison cannot match: they keep the default severity.
 */
const severities: Record<string, string> = {
  debug: "DEBUG",
  info: "INFO",
  warn: "WARNING",
  warning: "WARNING",
  error: "ERROR",
  dpanic: "CRITICAL",
  panic: "CRITICAL",
  fatal: "CRITICAL",
};

const label = (name: string) => `labels."${logLabelPrefix}/${name}"`;

/**
 * The Ops Agent's config (its own format, merged over its built-in host metrics and syslog):
 * - logs: every container's docker log, the docker wrapper parsed (its time becomes the entry's),
 *   then the service's own JSON line parsed, so every field (livekit-server's and livekit-sip's
 *   `room`, `nodeID`, `callID`; the worker's `event`, `call_id`, `room`) is a field of
 *   `jsonPayload`; the level becomes the entry's severity, and the compose service, the worker's
 *   call ID, livekit-sip's call ID, the room and the node become entry labels
 *   (`agent-studio-voice/service`, `/call_id`, `/sip_call_id`, `/room`, `/node`). One processor
 *   sets them all: the agent writes each destination even when its source is absent;
 * - metrics: each Prometheus endpoint scraped on loopback into Managed Service for Prometheus.
 * Its first line names the agent version it is for.
 */
export function renderOpsAgentConfig(targets: readonly ScrapeTarget[], agentVersion: string): string {
  const config = {
    logging: {
      receivers: {
        voice_containers: { type: "files", include_paths: containerLogPaths },
      },
      processors: {
        voice_docker_line: { type: "parse_json", time_key: "time", time_format: "%Y-%m-%dT%H:%M:%S.%L%z" },
        voice_service_line: { type: "parse_json", field: "log" },
        voice_fields: {
          type: "modify_fields",
          fields: {
            severity: { copy_from: "jsonPayload.level", map_values: severities },
            [label("service")]: { move_from: `jsonPayload.attrs."${composeServiceLabel}"` },
            [label("room")]: { copy_from: "jsonPayload.room" },
            [label("node")]: { copy_from: "jsonPayload.nodeID" },
            [label("call_id")]: { copy_from: "jsonPayload.call_id" },
            [label("sip_call_id")]: { copy_from: "jsonPayload.callID" },
          },
        },
      },
      service: {
        pipelines: {
          voice_containers: {
            receivers: ["voice_containers"],
            processors: ["voice_docker_line", "voice_service_line", "voice_fields"],
          },
        },
      },
    },
    metrics: {
      receivers: {
        voice_prometheus: {
          type: "prometheus",
          config: {
            scrape_configs: targets.map((target) => ({
              job_name: target.job,
              scrape_interval: `${scrapeIntervalSeconds}s`,
              metrics_path: target.path,
              static_configs: [{ targets: target.ports.map((port) => `127.0.0.1:${port}`) }],
            })),
          },
        },
      },
      service: {
        pipelines: {
          voice_prometheus: { receivers: ["voice_prometheus"] },
        },
      },
    },
  };
  // The version in the file: a new pinned version changes it, so the deployment installs that version.
  return `# Google Cloud Ops Agent ${agentVersion} config, rendered by agent-studio-voice\n${toGoYaml(config)}`;
}
