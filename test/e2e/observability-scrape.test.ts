/**
 * What on-call sees is what the servers really export: the Ops Agent's rendered scrape targets
 * scraped from the real livekit-server, livekit-sip and worker (each at the harness's port for
 * the production port the config names), after one answered, one busy and one unanswered call
 * placed through sipp as the carrier; the worker's counters hold exactly those outcomes, and
 * every metric an alert or the dashboard queries is in those scrapes. Each scrape is read by
 * Prometheus's own parser, and the services' JSON log lines hold every field the Ops Agent's log
 * processors read.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RoomServiceClient } from "livekit-server-sdk";
import { parse } from "yaml";
import { alertRules, dashboardCharts, type HostIds, promqlMetricNames } from "../../components/observability";
import { renderRuntimeFiles, workerSlots } from "../../components/runtime-config";
import { internalPorts } from "../../components/runtime-config/host-layout";
import { type PromSample, sampleValue, scrape } from "../harness/prometheus-scrape";
import { type CallStack, startCallStack } from "../harness/call-stack";
import { answeringNumber, busyNumber, neverAnswers } from "../harness/carrier";
import { waitUntil } from "../harness/wait-until";
import type { AgentWorker } from "../harness/worker";
import { productionRuntimeInput } from "../utils/runtime-input";
import { runDispatchCall } from "./dispatch-script";

jest.setTimeout(120_000);

const agentName = "e2e-observed";

let stack: CallStack;
let worker: AgentWorker;
/** Each rendered scrape job's samples, by job name. */
const scraped = new Map<string, PromSample[]>();

/** The Ops Agent config the deployment installs. */
const opsAgentConfig = parse(renderRuntimeFiles(productionRuntimeInput()).opsAgent.content);

/** Its scrape jobs. */
const renderedJobs = (
  opsAgentConfig.metrics.receivers.voice_prometheus.config.scrape_configs as {
    job_name: string;
    metrics_path: string;
    static_configs: { targets: string[] }[];
  }[]
).map((job) => ({ job: job.job_name, path: job.metrics_path, targets: job.static_configs[0]!.targets }));

beforeAll(async () => {
  stack = await startCallStack({ agentName });
  worker = await stack.startWorker({ ringingTimeoutSeconds: 5 });
}, 180_000);

afterAll(() => stack?.stop());

/** Where the harness serves what the production config scrapes at `target` (a production loopback port). */
function localUrl(target: string, path: string): string {
  const port = Number(target.split(":")[1]);
  const local: Record<number, string> = {
    [internalPorts.livekitMetrics]: `http://127.0.0.1:${stack.livekit.prometheusPort}`,
    [internalPorts.sipMetrics]: new URL(stack.sip.metricsUrl).origin,
    // The harness runs one worker, standing for worker slot A; slot B serves the same metrics on its own port.
    [internalPorts.workerMetricsA]: new URL(worker.metricsUrl).origin,
  };
  if (local[port] === undefined) throw new Error(`the rendered config scrapes ${target}, which no harness server stands for`);
  return `${local[port]}${path}`;
}

const worker_ = (name: string, labels: Record<string, string> = {}) => sampleValue(scraped.get("agent-worker") ?? [], name, labels);

describe("the stack's metrics, scraped as the Ops Agent scrapes them", () => {
  it("after an answered, a busy and an unanswered call, the worker counts exactly those outcomes", () =>
    stack.withLogs(async () => {
      const { url, apiKey, apiSecret } = stack.livekit;
      const rooms = new RoomServiceClient(url, apiKey, apiSecret);
      for (const [number, callId, code] of [
        [answeringNumber, "observed-answered", 0],
        [busyNumber, "observed-busy", 1],
        [neverAnswers, "observed-no-answer", 1],
      ] as const) {
        const run = await runDispatchCall([number, "--url", url, "--key", apiKey, "--agent-name", agentName, "--call-id", callId], apiSecret);
        expect([callId, run.code]).toEqual([callId, code]);
        await waitUntil(`room ${callId} is deleted`, async () => !(await rooms.listRooms()).some((r) => r.name === callId), [worker.process]);
      }
      const workerJob = renderedJobs.find((j) => j.job === "agent-worker")!;
      // The job process reports its end just before it exits.
      await waitUntil(
        "the worker shows no call in progress",
        async () => sampleValue(await scrape(localUrl(workerJob.targets[0]!, workerJob.path)), "agent_studio_calls_in_progress", { direction: "outbound" }) === 0,
        [worker.process],
      );
      // One target per job, but the worker's: one per slot, the first of which the harness's worker stands for.
      expect(workerJob.targets).toEqual(workerSlots.map((slot) => `127.0.0.1:${slot.metricsPort}`));
      for (const job of renderedJobs) scraped.set(job.job, await scrape(localUrl(job.targets[0]!, job.path)));
      writeFileSync(
        join(stack.logDir, "scraped-metric-names.txt"),
        [...scraped].map(([job, samples]) => `${job}: ${[...new Set(samples.map((s) => s.name))].sort().join(" ")}`).join("\n"),
      );

      expect(worker_("agent_studio_calls_dispatched_total", { direction: "outbound" })).toBe(3);
      expect(worker_("agent_studio_calls_answered_total", { direction: "outbound" })).toBe(1);
      const failed = (scraped.get("agent-worker") ?? []).filter((s) => s.name === "agent_studio_calls_failed_total" && s.value > 0);
      expect(failed.map((s) => [s.labels.direction, s.labels.outcome, s.value]).sort()).toEqual([
        ["outbound", "busy", 1],
        ["outbound", "no_answer", 1],
      ]);
      expect(worker_("agent_studio_call_setup_seconds_count", { direction: "outbound" })).toBe(1);
      expect(worker_("agent_studio_calls_dispatched_total", { direction: "inbound" })).toBe(0);
      expect(worker_("agent_studio_worker_registered")).toBe(1);
      expect(worker_("agent_studio_job_processes_idle")).toBeGreaterThan(0);
    }));

  it("exports every metric an alert or the dashboard queries (names from the scrape above)", () => {
    expect([...scraped.keys()].sort()).toEqual(["agent-worker", "livekit-server", "livekit-sip"]);
    const exported = new Set([...scraped.values()].flatMap((samples) => samples.map((s) => s.name)));
    const host: HostIds = { instanceName: "vm", instanceId: "1", uptimeCheckId: "check" };
    const queries = [
      ...alertRules().flatMap((rule) => {
        const query = rule.condition(host).conditionPrometheusQueryLanguage?.query;
        return typeof query === "string" ? [query] : [];
      }),
      ...dashboardCharts(host).flatMap((chart) => (chart.promql ?? []).map((q) => q.query)),
    ];
    const used = [...new Set(queries.flatMap(promqlMetricNames))].sort();
    // Each scraped endpoint feeds at least one query, and every queried name was really exported.
    expect(used.length).toBeGreaterThanOrEqual(8);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
    for (const job of scraped.keys()) expect([job, used.some((name) => scraped.get(job)!.some((s) => s.name === name))]).toEqual([job, true]);
  });

  it("logs JSON lines holding every field the Ops Agent's log processors read, at levels it maps to a severity", () => {
    const fields = opsAgentConfig.logging.processors.voice_fields.fields as Record<string, { copy_from?: string; map_values?: Record<string, string> }>;
    const read = Object.values(fields).flatMap((f) => (f.copy_from?.startsWith("jsonPayload.") ? [f.copy_from.slice("jsonPayload.".length)] : []));
    const lines = (path: string) =>
      readFileSync(path, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const services = { livekit: lines(stack.livekit.process.logPath), sip: lines(stack.sip.process.logPath), worker: lines(worker.process.logPath) };
    // livekit-server and livekit-sip write nothing but JSON lines now.
    for (const path of [stack.livekit.process.logPath, stack.sip.process.logPath]) {
      const text = readFileSync(path, "utf8").split("\n").filter((line) => line.trim() !== "");
      expect(text.filter((line) => !line.startsWith("{"))).toEqual([]);
    }
    const all = Object.values(services).flat();
    expect(read.sort()).toEqual(["call_id", "callID", "level", "nodeID", "room"].sort());
    for (const field of read) expect([field, all.some((line) => typeof line[field] === "string" && line[field] !== "")]).toEqual([field, true]);
    expect(services.sip.some((line) => typeof line.callID === "string")).toBe(true);
    expect(services.worker.some((line) => line.call_id === "observed-busy")).toBe(true);
    // Every string level maps to a severity; LiveKit Agents' numeric pino levels are the documented exception.
    const severities = fields.severity!.map_values!;
    const levels = new Set(all.map((line) => line.level).filter((level): level is string => typeof level === "string"));
    expect([...levels].filter((level) => severities[level] === undefined)).toEqual([]);
  });
});
