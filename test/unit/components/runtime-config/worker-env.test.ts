import fc from "fast-check";
import { renderWorkerEnv, type WorkerEnvInput, workerEnvPath } from "../../../../components/runtime-config";

const input: WorkerEnvInput = {
  apiKey: "APItestkey",
  apiSecret: "s3cretS3cretS3cretS3cretS3cretS3cret",
  sipOutboundTrunkId: "ST_a1b2c3d4e5f6",
  agentName: "agent-studio-voice",
  callsPerProcess: 8,
};

/** The variables of an env file, read as compose reads plain `NAME=value` lines. */
function variables(content: string): Record<string, string> {
  return Object.fromEntries(
    content
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

describe("renderWorkerEnv", () => {
  it("gives the worker LiveKit on loopback, the key pair, the outbound trunk, its agent name, its calls per process, its health and metrics endpoints' host (each slot sets the ports)", () => {
    const file = renderWorkerEnv(input);
    expect(variables(file.content)).toEqual({
      LIVEKIT_URL: "ws://127.0.0.1:7880",
      LIVEKIT_API_KEY: "APItestkey",
      LIVEKIT_API_SECRET: "s3cretS3cretS3cretS3cretS3cretS3cret",
      SIP_OUTBOUND_TRUNK_ID: "ST_a1b2c3d4e5f6",
      AGENT_NAME: "agent-studio-voice",
      CALLS_PER_PROCESS: "8",
      HEALTH_HOST: "127.0.0.1",
      METRICS_HOST: "127.0.0.1",
    });
  });

  it("is readable by root only, next to the compose file, and hands the calls over to a new worker when it changes", () => {
    const file = renderWorkerEnv(input);
    expect(file).toMatchObject({
      path: "/opt/agent-studio-voice/worker.env",
      mode: "0600",
      onChange: { kind: "hand-over-worker", script: "/opt/agent-studio-voice/worker-slots.sh" },
    });
    expect(workerEnvPath).toBe(file.path);
  });

  it("adds the AI keys that are set", () => {
    const withOpenai = variables(renderWorkerEnv({ ...input, openaiApiKey: "sk-proj-abc_DEF-123" }).content);
    expect(withOpenai.OPENAI_API_KEY).toBe("sk-proj-abc_DEF-123");
    expect(withOpenai).not.toHaveProperty("DEEPGRAM_API_KEY");
    const both = variables(renderWorkerEnv({ ...input, openaiApiKey: "sk-proj-abc", deepgramApiKey: "0123456789abcdef" }).content);
    expect(both).toMatchObject({ OPENAI_API_KEY: "sk-proj-abc", DEEPGRAM_API_KEY: "0123456789abcdef" });
  });

  it("writes any value of the config's formats literally, one variable per line", () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9_+/=-]{32,128}$/);
    fc.assert(
      fc.property(secret, fc.stringMatching(/^ST_[A-Za-z0-9]{1,20}$/), (apiSecret, sipOutboundTrunkId) => {
        const read = variables(renderWorkerEnv({ ...input, apiSecret, sipOutboundTrunkId }).content);
        expect(read.LIVEKIT_API_SECRET).toBe(apiSecret);
        expect(read.SIP_OUTBOUND_TRUNK_ID).toBe(sipOutboundTrunkId);
        expect(Object.keys(read)).toHaveLength(8);
      }),
    );
  });

  it("refuses a value compose would not read back literally, naming the variable and never the value", () => {
    const hostile = "s3cret $HOME #x\nEVIL=1 'q'";
    const render = () => renderWorkerEnv({ ...input, apiSecret: hostile, agentName: "a\\b" });
    expect(render).toThrow(
      "Cannot render the agent worker's environment: LIVEKIT_API_SECRET, AGENT_NAME hold a quote, a backslash or a control character, which compose's env-file parser would not read back literally",
    );
    expect(render).not.toThrow(/s3cret/);
  });

  it("single-quotes a value with spaces, $ or #, which compose then takes literally", () => {
    const file = renderWorkerEnv({ ...input, deepgramApiKey: "key with $HOME #x" });
    expect(file.content).toContain("DEEPGRAM_API_KEY='key with $HOME #x'\n");
  });
});
