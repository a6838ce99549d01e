import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { scrapeIntervalSeconds } from "./scrape-targets";

/** What identifies this stack's host in Cloud Monitoring, once it exists. */
export interface HostIds {
  /** The VM's name: the Ops Agent sets Prometheus series' `namespace` to `<instance ID>/<name>`. */
  instanceName: string;
  /** The VM's numeric ID: the `instance_id` of its `gce_instance` metrics. */
  instanceId: string;
  /** The uptime check's ID: the `check_id` of its metrics. */
  uptimeCheckId: string;
}

/** Alert condition, as `gcp.monitoring.AlertPolicy` takes it, with plain values. */
export type AlertCondition = pulumi.Unwrap<gcp.types.input.monitoring.AlertPolicyCondition>;

/** One alert: what fires it, how it is shown, and what on-call does first. */
export interface AlertRule {
  /** Stable ID: the policy's resource name suffix and its README section's anchor (its title as GitHub slugs it). */
  id: string;
  /** Title on-call reads (also the README runbook section's heading). */
  title: string;
  /** What fires it, in words, with its threshold. */
  fires: string;
  /** The threshold, for the plan. */
  threshold: string;
  /** The first three things to do. */
  firstSteps: [string, string, string];
  /** The condition watches one VM (its metrics or its disk): with several nodes, each node gets a policy of its own. */
  perHost: boolean;
  /** The condition, for this stack's host. */
  condition(host: HostIds): AlertCondition;
}

/** Share of dispatched calls that fail through the stack's fault (refused, error) above which on-call is called. */
export const callFailureRatioThreshold = 0.2;
/** Fewer dispatched calls than this in the window never fire the failure-ratio alert: one failed call of one is no trend. */
export const callFailureMinimumCalls = 5;
/** Days of certificate validity left below which the certificate alert fires. */
export const certificateDaysThreshold = 14;
/** Boot disk use (percent) above which the disk alert fires. */
export const diskPercentThreshold = 80;

/** PromQL label matchers selecting this host's series (the Ops Agent's `cluster` and `namespace`). */
export function hostSelector(instanceName: string): string {
  return `cluster="__gce__",namespace=~".+/${instanceName}"`;
}

const promql = (displayName: string, query: string, duration: string): AlertCondition => ({
  displayName,
  conditionPrometheusQueryLanguage: { query, duration, evaluationInterval: `${scrapeIntervalSeconds}s` },
});

/**
 * Every alert of the stack. Prometheus-based ones query the metrics the Ops Agent scrapes (their
 * names are checked against a live scrape of the real servers, test/e2e/observability-scrape);
 * the uptime check and disk ones use Cloud Monitoring's own metrics. With several nodes the
 * per-host rules fire for each node on its own: a node that is down has no worker registered and no
 * livekit-sip available.
 */
export function alertRules(): AlertRule[] {
  return [
    {
      id: "wss-url-unreachable",
      perHost: false,
      title: "wss URL unreachable",
      fires: "the uptime check of https://<domain>/ (Caddy, TLS and livekit-server answering OK) fails from more than one checker location for a minute",
      threshold: "uptime check failing from >1 location for 1 min",
      firstSteps: [
        "Open the uptime check in Cloud Monitoring: which locations fail, and with what (DNS, TLS, timeout, status)?",
        "Run `npm run doctor -- --stack <stack>`: DNS, certificate, ports, services and trunks in one report.",
        "On the VM (`gcloud compute ssh`): `sudo docker compose --project-directory /opt/agent-studio-voice ps`, then the logs of caddy and livekit; `sudo systemctl restart agent-studio-voice` if the stack is down.",
      ],
      condition: (host) => ({
        displayName: "uptime check failing",
        conditionThreshold: {
          filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.label.check_id="${host.uptimeCheckId}" AND resource.type="uptime_url"`,
          aggregations: [
            {
              alignmentPeriod: "300s",
              perSeriesAligner: "ALIGN_NEXT_OLDER",
              crossSeriesReducer: "REDUCE_COUNT_FALSE",
              groupByFields: ["resource.label.project_id", "resource.label.host"],
            },
          ],
          comparison: "COMPARISON_GT",
          thresholdValue: 1,
          duration: "60s",
          trigger: { count: 1 },
        },
      }),
    },
    {
      id: "no-worker-registered",
      perHost: true,
      title: "No worker registered",
      fires: "the agent worker is not registered with livekit-server (or exports no metrics at all) for 5 minutes: no call, in or out, is answered",
      threshold: "agent_studio_worker_registered < 1 or absent for 5 min",
      firstSteps: [
        "On the dashboard, check `worker registered` and `idle job processes`: did the worker stop, or is it up but disconnected?",
        "On the VM: `sudo docker compose --project-directory /opt/agent-studio-voice --profile worker ps worker-a worker-b` and `... logs --tail 200 worker-a worker-b` (the serving slot is named in /var/lib/agent-studio-voice/worker-slot; look for `worker.config_invalid`, `failed to connect to LiveKit server`).",
        "If it exited, start it: `sudo sh /opt/agent-studio-voice/worker-slots.sh start`; if its env is wrong, `pulumi up` rewrites it.",
      ],
      condition: (host) =>
        promql(
          "worker not registered",
          `absent(agent_studio_worker_registered{${hostSelector(host.instanceName)}}) or max(agent_studio_worker_registered{${hostSelector(host.instanceName)}}) < 1`,
          "300s",
        ),
    },
    {
      id: "livekit-sip-unavailable",
      perHost: true,
      title: "livekit-sip unavailable",
      fires: "livekit-sip reports itself unable to take calls (stopping, or refusing new calls because its CPU is above max_cpu_utilization) or exports no metrics, for 5 minutes",
      threshold: "livekit_sip_available < 1 or absent for 5 min",
      firstSteps: [
        "On the dashboard, check CPU per service and calls in progress: is the machine saturated (livekit-sip refuses new calls above 90 % CPU)?",
        "On the VM: `sudo docker compose --project-directory /opt/agent-studio-voice ps sip` and `... logs --tail 200 sip`; a container stuck draining waits for its calls (up to maxCallMinutes).",
        "If the CPU is the cause, shed load (pause outbound campaigns) and size up `machineType` (README, Sizing); if livekit-sip is down, `sudo docker compose ... up -d sip`.",
      ],
      condition: (host) =>
        promql(
          "livekit-sip not available",
          `absent(livekit_sip_available{${hostSelector(host.instanceName)}}) or min(livekit_sip_available{${hostSelector(host.instanceName)}}) < 1`,
          "300s",
        ),
    },
    {
      id: "call-failure-ratio",
      perHost: true,
      title: "Call failure ratio",
      fires: `more than ${callFailureRatioThreshold * 100} % of the calls dispatched in the last 10 minutes failed through the stack (outcome refused or error; busy, no answer and abandoned are the callee's doing), with at least ${callFailureMinimumCalls} calls dispatched`,
      threshold: `failed{refused|error} / dispatched > ${callFailureRatioThreshold} over 10 min (≥ ${callFailureMinimumCalls} calls)`,
      firstSteps: [
        "On the dashboard, read failures by outcome: `refused` points at the carrier or credentials, `error` at the stack.",
        "In Logs Explorer: `labels.\"agent-studio-voice/service\"=\"worker\" jsonPayload.event=\"call.outcome\" severity>=WARNING` gives each failed call's reason and SIP status.",
        "For `refused`/auth failures run `npm run doctor -- --stack <stack>` (outbound trunk) and check Twilio's debugger; for `error`, read livekit-sip's log for the same call ID.",
      ],
      condition: (host) => {
        const sel = hostSelector(host.instanceName);
        const failed = `sum(increase(agent_studio_calls_failed_total{${sel},outcome=~"refused|error"}[10m]))`;
        const dispatched = `sum(increase(agent_studio_calls_dispatched_total{${sel}}[10m]))`;
        return promql(
          "call failure ratio",
          `(${failed} / ${dispatched}) > ${callFailureRatioThreshold} and ${dispatched} >= ${callFailureMinimumCalls}`,
          "0s",
        );
      },
    },
    {
      id: "certificate-expiring",
      perHost: false,
      title: "Certificate expiring",
      fires: `the TLS certificate served at https://<domain>/ expires in less than ${certificateDaysThreshold} days (Caddy renews 30 days before expiry, so renewal has been failing)`,
      threshold: `< ${certificateDaysThreshold} days left`,
      firstSteps: [
        "On the VM: `sudo docker compose --project-directory /opt/agent-studio-voice logs --tail 300 caddy | grep -i -E 'acme|certificate|error'`.",
        "Check that the domain's A record still points at the stack's `staticIp` and that port 80 is open to the internet (`npm run doctor`).",
        "Fix the cause and `sudo docker compose ... exec caddy caddy reload --config /etc/caddy/Caddyfile`; mind Let's Encrypt's 5 certificates per name per week.",
      ],
      condition: (host) => ({
        displayName: "certificate expires soon",
        conditionThreshold: {
          filter: `metric.type="monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires" AND metric.label.check_id="${host.uptimeCheckId}" AND resource.type="uptime_url"`,
          aggregations: [{ alignmentPeriod: "1200s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_MEAN", groupByFields: ["resource.label.host"] }],
          comparison: "COMPARISON_LT",
          thresholdValue: certificateDaysThreshold,
          duration: "600s",
          trigger: { count: 1 },
        },
      }),
    },
    {
      id: "boot-disk-full",
      perHost: true,
      title: "Boot disk full",
      fires: `a disk of the VM is more than ${diskPercentThreshold} % used for 5 minutes (Redis's append-only file, docker images and container logs live there)`,
      threshold: `disk used > ${diskPercentThreshold} % for 5 min`,
      firstSteps: [
        "On the VM: `df -h /` and `sudo du -xh --max-depth 2 /var/lib/docker | sort -h | tail`: images, volumes or logs?",
        "Remove unused images (`sudo docker image prune -a`, the running ones stay); container logs are capped at 5 × 50 MB per service.",
        "If Redis's volume grew, check `redis-cli -p 6379 info persistence` (append-only rewrite); grow the disk with `diskSizeGb` (this replaces the VM: plan a quiet hour).",
      ],
      condition: (host) => ({
        displayName: "disk used above threshold",
        conditionThreshold: {
          filter: `metric.type="agent.googleapis.com/disk/percent_used" AND metric.label.state="used" AND resource.type="gce_instance" AND resource.label.instance_id="${host.instanceId}"`,
          aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MEAN" }],
          comparison: "COMPARISON_GT",
          thresholdValue: diskPercentThreshold,
          duration: "300s",
          trigger: { count: 1 },
        },
      }),
    },
  ];
}

/**
 * The metric names a PromQL query reads, for checking against a live scrape: every query here
 * selects its series by this host's labels, so each name is followed by `{`.
 */
export function promqlMetricNames(query: string): string[] {
  return [...new Set(query.match(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\{)/g) ?? [])];
}
