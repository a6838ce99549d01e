import { certificateDaysThreshold, hostSelector, type HostIds } from "./alert-rules";

/** One chart of the dashboard: Prometheus queries of the scraped metrics, or Cloud Monitoring filters. */
export interface DashboardChart {
  title: string;
  /** PromQL queries, each a line with its legend. */
  promql?: { query: string; legend: string }[];
  /** Cloud Monitoring time series filters (Ops Agent host metrics, uptime check), with their aggregation. */
  filters?: { filter: string; aligner: string; reducer?: string; groupBy?: string[]; legend: string }[];
  /** Shown as one number (a scorecard) instead of a line chart. */
  scorecard?: boolean;
}

/** Every chart of the on-call dashboard for this stack's host, in order (two per row). */
export function dashboardCharts(host: HostIds): DashboardChart[] {
  const sel = hostSelector(host.instanceName);
  const vm = `resource.type="gce_instance" AND resource.label.instance_id="${host.instanceId}"`;
  const setup = (q: number) => `histogram_quantile(${q}, sum by (le) (rate(agent_studio_call_setup_seconds_bucket{${sel}}[10m])))`;
  return [
    {
      title: "Calls in progress per node",
      promql: [{ query: `sum by (namespace, direction) (agent_studio_calls_in_progress{${sel}})`, legend: "{{namespace}} {{direction}}" }],
    },
    {
      title: "Call setup latency (answered calls), seconds",
      promql: [
        { query: setup(0.5), legend: "p50" },
        { query: setup(0.95), legend: "p95" },
      ],
    },
    {
      title: "Calls per 10 minutes: answered, and failed by outcome",
      promql: [
        { query: `sum(increase(agent_studio_calls_answered_total{${sel}}[10m]))`, legend: "answered" },
        { query: `sum by (outcome) (increase(agent_studio_calls_failed_total{${sel}}[10m]))`, legend: "{{outcome}}" },
      ],
    },
    {
      title: "Worker registered, idle job processes, livekit-sip available",
      promql: [
        { query: `max(agent_studio_worker_registered{${sel}})`, legend: "worker registered" },
        { query: `sum(agent_studio_job_processes_idle{${sel}})`, legend: "idle job processes" },
        { query: `min(livekit_sip_available{${sel}})`, legend: "livekit-sip available" },
      ],
    },
    {
      title: "CPU per service (cores)",
      filters: [
        {
          filter: `metric.type="agent.googleapis.com/processes/cpu_time" AND ${vm}`,
          aligner: "ALIGN_RATE",
          reducer: "REDUCE_SUM",
          groupBy: ["metric.label.command"],
          legend: "${metric.label.command}",
        },
      ],
    },
    {
      title: "Memory per service (resident bytes)",
      filters: [
        {
          filter: `metric.type="agent.googleapis.com/processes/rss_usage" AND ${vm}`,
          aligner: "ALIGN_MEAN",
          reducer: "REDUCE_SUM",
          groupBy: ["metric.label.command"],
          legend: "${metric.label.command}",
        },
      ],
    },
    {
      // livekit-sip exports RTP packet counts, not loss or jitter; those come from livekit-server,
      // which measures the WebRTC side of every participant, SIP callers included.
      title: "RTP packets per second through livekit-sip (by direction)",
      promql: [{ query: `sum by (op) (rate(livekit_sip_packets_rtp{${sel}}[5m]))`, legend: "{{op}}" }],
    },
    {
      title: "Packet loss (%, p95) and jitter (ms, p95) of livekit-server's tracks",
      promql: [
        { query: `histogram_quantile(0.95, sum by (le) (rate(livekit_packet_loss_percent_bucket{${sel}}[5m])))`, legend: "packet loss % p95" },
        { query: `histogram_quantile(0.95, sum by (le) (rate(livekit_jitter_us_bucket{${sel}}[5m]))) / 1000`, legend: "jitter p95 ms" },
      ],
    },
    {
      title: "TLS certificate: days left",
      scorecard: true,
      filters: [
        {
          filter: `metric.type="monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires" AND metric.label.check_id="${host.uptimeCheckId}" AND resource.type="uptime_url"`,
          aligner: "ALIGN_NEXT_OLDER",
          reducer: "REDUCE_MIN",
          legend: "days left",
        },
      ],
    },
  ];
}

const width = 24;
const height = 16;

function dataSet(chart: DashboardChart) {
  return [
    ...(chart.promql ?? []).map((q) => ({ timeSeriesQuery: { prometheusQuery: q.query }, plotType: "LINE", legendTemplate: q.legend })),
    ...(chart.filters ?? []).map((f) => ({
      timeSeriesQuery: {
        timeSeriesFilter: {
          filter: f.filter,
          aggregation: {
            alignmentPeriod: "60s",
            perSeriesAligner: f.aligner,
            ...(f.reducer ? { crossSeriesReducer: f.reducer } : {}),
            ...(f.groupBy ? { groupByFields: f.groupBy } : {}),
          },
        },
      },
      plotType: "LINE",
      legendTemplate: f.legend,
    })),
  ];
}

/**
 * The dashboard's JSON as `gcp.monitoring.Dashboard` takes it (Cloud Monitoring's Dashboard
 * resource): a 48-column mosaic, two charts per row, each a line chart or a scorecard.
 */
export function renderDashboardJson(displayName: string, host: HostIds): string {
  const tiles = dashboardCharts(host).map((chart, index) => {
    const [first] = dataSet(chart);
    const widget = chart.scorecard
      ? { title: chart.title, scorecard: { timeSeriesQuery: first!.timeSeriesQuery, thresholds: [{ value: certificateDaysThreshold, color: "RED", direction: "BELOW" }] } }
      : { title: chart.title, xyChart: { dataSets: dataSet(chart), timeshiftDuration: "0s" } };
    return { xPos: (index % 2) * width, yPos: Math.floor(index / 2) * height, width, height, widget };
  });
  return JSON.stringify({ displayName, mosaicLayout: { columns: 48, tiles } }, null, 2);
}
