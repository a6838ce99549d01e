import { type AgentServer, ServerOptions, cli } from "@livekit/agents";
import { fileURLToPath } from "node:url";
import { LIVEKIT_TARGET_LOAD, callLoad } from "./call-capacity.ts";
import { REPORT_SOCKET_ENV } from "./call-metrics.ts";
import { SLOTS_PER_PROCESS_LIFETIME } from "./call-group-plan.ts";
import { CallGroups, runJobsInCallGroups } from "./call-groups.ts";
import { LOOP_MONITOR_ENV, jobProcessExecArgv, loopMonitorSetting } from "./job-process-runtime.ts";
import { createJsonLogger } from "./json-log.ts";
import { localUrl, startMetricsServer } from "./metrics-server.ts";
import { choosePipeline } from "./pipeline-choice.ts";
import { loadWorkerConfig } from "./worker-config.ts";

// Entrypoint: `node dist/main.js start` (production) or `dev`. Checks the environment, then hands
// over to the LiveKit Agents CLI, which registers the worker; its jobs run in call group processes.
const log = createJsonLogger();
const config = loadWorkerConfig(process.env);
const pipeline = choosePipeline(process.env);
if (!config.ok || !pipeline.ok) {
  log.error("worker.config_invalid", {
    problems: [...(config.ok ? [] : config.problems), ...(pipeline.ok ? [] : pipeline.problems)],
  });
  process.exit(2);
}

log.info("worker.starting", {
  agent_name: config.config.agentName,
  livekit_url: config.config.livekitUrl,
  sip_trunk_id: config.config.sipOutboundTrunkId,
  ringing_timeout_seconds: config.config.ringingTimeoutSeconds,
  pipeline: pipeline.choice.kind,
  pipeline_reason: pipeline.choice.reason,
  health: `http://${config.config.healthHost}:${config.config.healthPort}/`,
  metrics: `http://${config.config.metricsHost}:${config.config.metricsPort}/metrics`,
  max_concurrent_calls: config.config.maxConcurrentCalls ?? null,
  calls_per_process: config.config.callsPerProcess,
});

// Job processes report their calls over this socket; a worker whose metrics cannot be served still
// takes calls (its missing metrics fire the "no worker registered" alert).
try {
  const metrics = await startMetricsServer({
    host: config.config.metricsHost,
    port: config.config.metricsPort,
    healthUrl: localUrl(config.config.healthHost, config.config.healthPort),
  });
  process.env[REPORT_SOCKET_ENV] = metrics.socketPath;
} catch (error) {
  log.error("worker.metrics_failed", { metrics: `http://${config.config.metricsHost}:${config.config.metricsPort}/metrics`, error });
}

const maxCalls = config.config.maxConcurrentCalls;

// Read by LiveKit Agents when it starts monitoring (this process; call group processes inherit the
// environment) and by fork() for each call group process.
process.env[LOOP_MONITOR_ENV] = loopMonitorSetting(process.env);
process.execArgv = jobProcessExecArgv(process.execArgv);
await runJobsInCallGroups(
  new CallGroups({ callsPerProcess: config.config.callsPerProcess, slotsPerProcessLifetime: SLOTS_PER_PROCESS_LIFETIME }, log),
);

cli.runApp(
  new ServerOptions({
    agent: fileURLToPath(new URL("./agent.js", import.meta.url)),
    agentName: config.config.agentName,
    wsURL: config.config.livekitUrl,
    apiKey: config.config.apiKey,
    apiSecret: config.config.apiSecret,
    host: config.config.healthHost,
    port: config.config.healthPort,
    ...(maxCalls === undefined
      ? {}
      : {
          loadFunc: async (server: AgentServer) => callLoad(server.activeJobs.length, maxCalls),
          loadThreshold: LIVEKIT_TARGET_LOAD,
        }),
  }),
);
