import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_AGENT_INSTRUCTIONS, choosePipeline } from "../../src/pipeline-choice.ts";

const OPENAI = { OPENAI_API_KEY: "sk-test-openai" };
const DEEPGRAM = { DEEPGRAM_API_KEY: "dg-test-key" };

function kindOf(env: Record<string, string | undefined>): string {
  const result = choosePipeline(env);
  assert.ok(result.ok, JSON.stringify(result));
  return result.choice.kind;
}

describe("choosePipeline", () => {
  it("plays the greeting when no AI key is configured, so a stack is testable without any account", () => {
    assert.equal(kindOf({}), "greeting");
    assert.equal(kindOf({ OPENAI_API_KEY: "" }), "greeting");
    assert.equal(kindOf(DEEPGRAM), "greeting");
  });

  it("uses the realtime model when only an OpenAI key is set", () => {
    assert.equal(kindOf(OPENAI), "realtime");
  });

  it("uses Deepgram STT + OpenAI LLM/TTS when both keys are set", () => {
    assert.equal(kindOf({ ...OPENAI, ...DEEPGRAM }), "stt-llm-tts");
  });

  it("honours an explicit VOICE_PIPELINE whose keys are present", () => {
    assert.equal(kindOf({ ...OPENAI, ...DEEPGRAM, VOICE_PIPELINE: "realtime" }), "realtime");
    assert.equal(kindOf({ ...OPENAI, VOICE_PIPELINE: "greeting" }), "greeting");
  });

  it("refuses an explicit pipeline whose keys are missing, naming each key and never its value", () => {
    const result = choosePipeline({ ...OPENAI, VOICE_PIPELINE: "stt-llm-tts" });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0]!, /^DEEPGRAM_API_KEY is not set: VOICE_PIPELINE=stt-llm-tts needs it/);
    assert.ok(!result.problems[0]!.includes(OPENAI.OPENAI_API_KEY));
  });

  it("rejects an unknown VOICE_PIPELINE listing the valid ones", () => {
    const result = choosePipeline({ VOICE_PIPELINE: "gpt" });
    assert.ok(!result.ok);
    assert.match(result.problems[0]!, /VOICE_PIPELINE is "gpt", which is not valid: expected one of auto, greeting, realtime, stt-llm-tts/);
  });

  it("gives AI pipelines AGENT_INSTRUCTIONS, or the default when unset", () => {
    const custom = choosePipeline({ ...OPENAI, AGENT_INSTRUCTIONS: "  Be brief.  " });
    assert.ok(custom.ok && custom.choice.kind !== "greeting");
    assert.equal(custom.choice.instructions, "Be brief.");
    const fallback = choosePipeline(OPENAI);
    assert.ok(fallback.ok && fallback.choice.kind !== "greeting");
    assert.equal(fallback.choice.instructions, DEFAULT_AGENT_INSTRUCTIONS);
  });
});
