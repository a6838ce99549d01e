import { parse } from "yaml";
import { containerLogPaths, renderOpsAgentConfig } from "../../../../components/observability/ops-agent-config";
import { scrapeTargets } from "../../../../components/observability/scrape-targets";
import { internalPorts, renderRuntimeFiles, renderStartupScript } from "../../../../components/runtime-config";
import { opsAgentPackageVersion, versions } from "../../../../components/versions";
import { productionRuntimeInput } from "../../../utils/runtime-input";

const files = renderRuntimeFiles(productionRuntimeInput());
const config = parse(files.opsAgent.content) as any;

describe("the Ops Agent config", () => {
  it("is installed where the agent reads it and restarts the agent (installing the pinned version when missing)", () => {
    expect(files.opsAgent.path).toBe("/etc/google-cloud-ops-agent/config.yaml");
    expect(files.opsAgent.onChange).toEqual({ kind: "restart-ops-agent", packageVersion: `${versions.opsAgent}~debian12` });
    expect(files.opsAgent.content.split("\n")[0]).toBe(`# Google Cloud Ops Agent ${versions.opsAgent} config, rendered by agent-studio-voice`);
    expect(renderOpsAgentConfig(scrapeTargets, "9.9.9")).not.toBe(files.opsAgent.content);
  });

  it("is for the agent version the startup script installs, the same package the deployment checks for", () => {
    const script = renderStartupScript("us-central1-docker.pkg.dev");
    expect(script).toContain(`apt-get install -y --allow-downgrades "google-cloud-ops-agent=${opsAgentPackageVersion}"`);
    expect(script).toContain(`!= "${opsAgentPackageVersion}" ]`);
    expect(script).toMatch(/^systemctl enable --now google-cloud-ops-agent$/m);
  });

  it("scrapes livekit-server, livekit-sip and the worker on loopback, each under its own job", () => {
    const scrapes = config.metrics.receivers.voice_prometheus.config.scrape_configs;
    expect(scrapes.map((s: any) => [s.job_name, s.static_configs[0].targets, s.metrics_path])).toEqual([
      ["livekit-server", [`127.0.0.1:${internalPorts.livekitMetrics}`], "/metrics"],
      ["livekit-sip", [`127.0.0.1:${internalPorts.sipMetrics}`], "/metrics"],
      ["agent-worker", [`127.0.0.1:${internalPorts.workerMetricsA}`, `127.0.0.1:${internalPorts.workerMetricsB}`], "/metrics"],
    ]);
    expect(config.metrics.service.pipelines.voice_prometheus.receivers).toEqual(["voice_prometheus"]);
  });

  it("reads every container's docker log and names each line's service from the label compose's logging driver writes", () => {
    const compose = parse(files.compose.content) as { services: Record<string, { logging: { options: Record<string, string> } }> };
    const label = config.logging.processors.voice_fields.fields['labels."agent-studio-voice/service"'].move_from as string;
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, label]).toEqual([name, `jsonPayload.attrs."${service.logging.options.labels}"`]);
    }
    expect(config.logging.receivers.voice_containers).toEqual({ type: "files", include_paths: containerLogPaths });
  });

  it("parses the docker wrapper, then the service's JSON line, then sets severity and the call, room and node labels", () => {
    const pipeline = config.logging.service.pipelines.voice_containers;
    expect(pipeline.processors).toEqual(["voice_docker_line", "voice_service_line", "voice_fields"]);
    for (const name of pipeline.processors) expect(config.logging.processors[name]).toBeDefined();
    expect(config.logging.processors.voice_service_line).toEqual({ type: "parse_json", field: "log" });
    const fields = config.logging.processors.voice_fields.fields;
    expect(fields.severity.copy_from).toBe("jsonPayload.level");
    expect(fields.severity.map_values).toMatchObject({ info: "INFO", warn: "WARNING", error: "ERROR", fatal: "CRITICAL" });
    expect(Object.keys(fields).sort()).toEqual(
      ["call_id", "node", "room", "service", "sip_call_id"].map((l) => `labels."agent-studio-voice/${l}"`).concat("severity").sort(),
    );
  });

  it("makes livekit-server and livekit-sip log JSON lines, which the agent parses", () => {
    expect(parse(files.livekit.content).logging.json).toBe(true);
    expect(parse(files.sip.content).logging.json).toBe(true);
  });
});
