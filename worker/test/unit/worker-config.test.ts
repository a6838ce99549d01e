import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_CALLS_PER_PROCESS } from "../../src/call-group-plan.ts";
import { loadWorkerConfig } from "../../src/worker-config.ts";

const SECRET = "s3cr3t-value-that-must-never-leak-anywhere";
const REQUIRED = {
  LIVEKIT_URL: "ws://127.0.0.1:7880",
  LIVEKIT_API_KEY: "devkey",
  LIVEKIT_API_SECRET: SECRET,
  SIP_OUTBOUND_TRUNK_ID: "ST_abc123",
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  const result = loadWorkerConfig(env);
  assert.equal(result.ok, false);
  return result.ok ? [] : result.problems;
}

describe("loadWorkerConfig", () => {
  it("fills every optional setting with its documented default", () => {
    assert.deepEqual(loadWorkerConfig(REQUIRED), {
      ok: true,
      config: {
        livekitUrl: "ws://127.0.0.1:7880",
        apiKey: "devkey",
        apiSecret: SECRET,
        sipOutboundTrunkId: "ST_abc123",
        agentName: "agent-studio-voice",
        ringingTimeoutSeconds: 30,
        healthHost: "127.0.0.1",
        healthPort: 8081,
        metricsHost: "127.0.0.1",
        metricsPort: 8082,
        callsPerProcess: DEFAULT_CALLS_PER_PROCESS,
      },
    });
  });

  it("reads every optional setting", () => {
    const result = loadWorkerConfig({
      ...REQUIRED,
      AGENT_NAME: "outbound-caller",
      RINGING_TIMEOUT_SECONDS: "5",
      DEFAULT_CALLER_ID: "+14155550100",
      HEALTH_HOST: "0.0.0.0",
      HEALTH_PORT: "9000",
      METRICS_HOST: "127.0.0.2",
      METRICS_PORT: "9001",
      MAX_CONCURRENT_CALLS: "8",
      MAX_CALL_SECONDS: "1800",
      CALLS_PER_PROCESS: "1",
    });
    assert.ok(result.ok);
    assert.equal(result.config.agentName, "outbound-caller");
    assert.equal(result.config.ringingTimeoutSeconds, 5);
    assert.equal(result.config.defaultCallerId, "+14155550100");
    assert.equal(result.config.healthHost, "0.0.0.0");
    assert.equal(result.config.healthPort, 9000);
    assert.deepEqual([result.config.metricsHost, result.config.metricsPort], ["127.0.0.2", 9001]);
    assert.equal(result.config.maxConcurrentCalls, 8);
    assert.equal(result.config.maxCallSeconds, 1800);
    assert.equal(result.config.callsPerProcess, 1);
  });

  it("names every unset required variable at once", () => {
    const problems = problemsOf({});
    assert.deepEqual(
      problems.map((p) => p.split(" ")[0]),
      ["LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "SIP_OUTBOUND_TRUNK_ID"],
    );
    for (const problem of problems) assert.match(problem, /is not set: expected .+; set it in the worker's environment/);
  });

  it("treats an empty variable as unset", () => {
    const [problem] = problemsOf({ ...REQUIRED, LIVEKIT_API_KEY: "" });
    assert.match(problem!, /^LIVEKIT_API_KEY is not set/);
  });

  for (const [key, value, expected] of [
    ["LIVEKIT_URL", "localhost:7880", /ws:\/\//],
    ["SIP_OUTBOUND_TRUNK_ID", "trunk-1", /ST_/],
    ["RINGING_TIMEOUT_SECONDS", "0", /1 to 600/],
    ["RINGING_TIMEOUT_SECONDS", "2.5", /whole number/],
    ["RINGING_TIMEOUT_SECONDS", "601", /1 to 600/],
    ["HEALTH_PORT", "70000", /1 to 65535/],
    ["METRICS_PORT", "0", /1 to 65535/],
    ["METRICS_PORT", "8081", /not HEALTH_PORT/],
    ["DEFAULT_CALLER_ID", "555-0100", /E\.164/],
    ["AGENT_NAME", "has space", /letters, digits/],
    ["MAX_CONCURRENT_CALLS", "0", /1 to 1000/],
    ["MAX_CALL_SECONDS", "0", /1 to 86400/],
    ["MAX_CALL_SECONDS", "30m", /whole number of seconds/],
    ["CALLS_PER_PROCESS", "0", /1 to 64/],
    ["CALLS_PER_PROCESS", "65", /1 to 64/],
  ] as const) {
    it(`rejects ${key}=${JSON.stringify(value)} naming the variable, value and what is expected`, () => {
      const [problem, ...rest] = problemsOf({ ...REQUIRED, [key]: value });
      assert.equal(rest.length, 0);
      assert.ok(problem!.startsWith(`${key} is ${JSON.stringify(value)}, which is not valid: expected`), problem);
      assert.match(problem!, expected);
    });
  }

  it("rejects a short API secret without quoting it", () => {
    const short = "short-secret";
    const [problem, ...rest] = problemsOf({ ...REQUIRED, LIVEKIT_API_SECRET: short });
    assert.equal(rest.length, 0);
    assert.match(problem!, /^LIVEKIT_API_SECRET is set to a value that is not valid: expected .*at least 32 characters/);
    assert.ok(!problem!.includes(short), problem);
  });
});
