import { parse } from "yaml";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { runProgram, stackConfig, triggersByStep } from "../../utils/offline-program";

const key = "agent-studio-voice:maxCallMinutes";

function vmScheduling(run: OfflineRun): unknown {
  return run.monitor.ofType("gcp:compute/instance:Instance")[0].inputs.scheduling;
}

function stopGraces(run: OfflineRun): Record<string, string | undefined> {
  const compose = parse(run.monitor.byName("voice-deploy-compose").inputs.stdin as string) as { services: Record<string, { stop_grace_period?: string }> };
  return Object.fromEntries(Object.entries(compose.services).map(([name, service]) => [name, service.stop_grace_period]));
}

function unitStopTimeout(run: OfflineRun): string | undefined {
  return (run.monitor.byName("voice-deploy-systemdUnit").inputs.stdin as string).match(/^TimeoutStopSec=(\d+)$/m)?.[1];
}

describe("the program under mocks: calls survive a stop of the VM and of the stack", () => {
  let defaults: OfflineRun;
  let longest: OfflineRun;
  beforeAll(async () => {
    defaults = await runProgram(stackConfig("prod"));
    longest = await runProgram(stackConfig("prod", { [key]: "55" }));
  }, 120_000);

  it("gives the VM GCE's graceful shutdown, long enough for the longest call and the rest of the stack", () => {
    expect(vmScheduling(defaults)).toMatchObject({ gracefulShutdown: { enabled: true, maxDuration: { seconds: 30 * 60 + 300 } } });
    expect(vmScheduling(longest)).toMatchObject({ gracefulShutdown: { enabled: true, maxDuration: { seconds: 3600 } } });
  });

  it("deploys the longest call plus a minute as the stop grace of livekit-sip, the worker and livekit-server", () => {
    expect(stopGraces(defaults)).toEqual({ redis: undefined, livekit: "1860s", sip: "1860s", caddy: undefined, "worker-a": "1860s", "worker-b": "1860s" });
    expect(stopGraces(longest)).toEqual({ redis: undefined, livekit: "3360s", sip: "3360s", caddy: undefined, "worker-a": "3360s", "worker-b": "3360s" });
    expect(unitStopTimeout(defaults)).toBe("1890");
    expect(unitStopTimeout(longest)).toBe("3390");
  });

  it("ends inbound calls at the longest call: the inbound trunk's maximum call duration", () => {
    const inbound = (run: OfflineRun) => run.monitor.byName("voice-sip-inbound-trunk").inputs.maxCallDurationSeconds;
    expect(inbound(defaults)).toBe(1800);
    expect(inbound(longest)).toBe(3300);
  });

  it("has the worker dial outbound calls with the longest call as their maximum duration", () => {
    const env = (run: OfflineRun) => (run.monitor.byName("voice-worker-deploy").inputs.stdin as string).match(/^MAX_CALL_SECONDS=(.*)$/m)?.[1];
    expect(env(defaults)).toBe("1800");
    expect(env(longest)).toBe("3300");
  });

  it("a change of maxCallMinutes re-runs the Caddyfile (a reload), worker slots' script, unit, compose, TLS wait and worker steps, and no other", () => {
    const [before, after] = [triggersByStep(defaults), triggersByStep(longest)];
    expect(Object.keys(before).filter((step) => before[step] !== after[step])).toEqual([
      "voice-deploy-caddy",
      "voice-deploy-workerSlots",
      "voice-deploy-systemdUnit",
      "voice-deploy-compose",
      "voice-deploy-wait-tls",
      "voice-worker-deploy",
    ]);
  });
});
