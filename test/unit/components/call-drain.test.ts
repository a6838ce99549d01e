import { parse } from "yaml";
import { defaultMaxCallMinutes, gracefulShutdownSeconds, maxCallMinutesLimit, stopGraceSeconds, unitStopTimeoutSeconds } from "../../../components/call-limits";
import { formatProblem, validateStackConfig } from "../../../components/config";
import { renderRuntimeFiles, renderWorkerEnv } from "../../../components/runtime-config";
import { stackConfig } from "../../utils/offline-program";
import { productionRuntimeInput } from "../../utils/runtime-input";

const key = "agent-studio-voice:maxCallMinutes";

function rendered(maxCallMinutes: number) {
  const files = renderRuntimeFiles(productionRuntimeInput({ maxCallMinutes }));
  const compose = parse(files.compose.content) as { services: Record<string, { stop_grace_period?: string }> };
  return { compose, unit: files.systemdUnit.content };
}

describe("the longest call (maxCallMinutes)", () => {
  it("defaults to 30 minutes", () => {
    const result = validateStackConfig(stackConfig("prod"), "prod");
    expect(result.ok && result.config.maxCallMinutes).toBe(defaultMaxCallMinutes);
    expect(defaultMaxCallMinutes).toBe(30);
  });

  it.each(["0", "56", "ten", "12.5", "-3"])("refuses %s with the range and a fix that sets the default", (value) => {
    const result = validateStackConfig(stackConfig("prod", { [key]: value }), "prod");
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map(formatProblem);
    expect(problems).toEqual([
      `${key} = ${JSON.stringify(value)}: expected the longest call in minutes, a whole number from 1 to 55 (GCE gives a VM at most an hour to shut down gracefully; the rest stops after the calls). Fix: pulumi config set ${key} 30 --stack prod`,
    ]);
  });

  it("is the worker's MAX_CALL_SECONDS, the max_call_duration it dials outbound calls with; unset leaves livekit-sip's own", () => {
    const base = { apiKey: "APItestkey", apiSecret: "s3cretS3cretS3cretS3cretS3cretS3cret", sipOutboundTrunkId: "ST_abc", agentName: "agent", callsPerProcess: 8 };
    expect(renderWorkerEnv({ ...base, maxCallSeconds: 1800 }).content).toMatch(/^MAX_CALL_SECONDS=1800$/m);
    expect(renderWorkerEnv(base).content).not.toContain("MAX_CALL_SECONDS");
  });

  it("fits the VM's graceful shutdown within GCE's hour, after the longest call's drain, for every allowed value", () => {
    for (let minutes = 1; minutes <= maxCallMinutesLimit; minutes++) {
      expect(gracefulShutdownSeconds(minutes)).toBeLessThanOrEqual(3600);
      expect(gracefulShutdownSeconds(minutes)).toBeGreaterThan(stopGraceSeconds(minutes));
      expect(stopGraceSeconds(minutes)).toBeGreaterThan(minutes * 60);
      expect(unitStopTimeoutSeconds(minutes)).toBeGreaterThan(stopGraceSeconds(minutes));
    }
  });
});

describe("stopping the stack drains its calls", () => {
  it.each([
    [30, "1860s", 1890],
    [55, "3360s", 3390],
    [1, "120s", 150],
  ])("with maxCallMinutes %d, livekit-sip, the worker and livekit-server get %s of stop grace; Redis and Caddy compose's default", (minutes, grace, timeout) => {
    const { compose, unit } = rendered(minutes);
    for (const service of ["sip", "worker-a", "worker-b", "livekit"]) {
      expect(compose.services[service].stop_grace_period).toBe(grace);
    }
    for (const service of ["redis", "caddy"]) {
      expect(compose.services[service].stop_grace_period).toBeUndefined();
    }
    expect(renderRuntimeFiles(productionRuntimeInput({ maxCallMinutes: minutes })).workerSlots.content).toContain(`timeout ${grace.slice(0, -1)} docker wait`);
    // systemd gives each ExecStop step this long, past the service's own grace.
    expect(unit.match(/^TimeoutStopSec=.*$/gm)).toEqual([`TimeoutStopSec=${timeout}`]);
  });

  it("takes a node out of the load balancer for its whole stop, and back in once its stack is up again", () => {
    const { unit } = rendered(defaultMaxCallMinutes);
    const flag = "/var/lib/agent-studio-voice/drain/draining";
    expect(unit.match(/^ExecStop=.*$/gm)?.[0]).toContain(`touch ${flag}`);
    // After `up --wait` (every service healthy) and the worker's start.
    expect(unit.match(/^ExecStartPost=.*$/gm)?.at(-1)).toBe(`ExecStartPost=/bin/rm -f ${flag}`);
  });

  it("stops livekit-sip first, then the worker, then livekit-server, and Redis and Caddy last", () => {
    const { unit } = rendered(defaultMaxCallMinutes);
    const compose = "/usr/bin/docker compose --project-name agent-studio-voice";
    expect(unit.match(/^ExecStop=.*$/gm)).toEqual([
      // Behind a load balancer, no new connection lands on a stopping node.
      "ExecStop=/bin/sh -c 'mkdir -p /var/lib/agent-studio-voice/drain && touch /var/lib/agent-studio-voice/drain/draining'",
      `ExecStop=${compose} stop sip`,
      "ExecStop=/bin/sh /opt/agent-studio-voice/worker-slots.sh stop",
      `ExecStop=${compose} stop livekit`,
      `ExecStop=${compose} down`,
    ]);
  });
});
