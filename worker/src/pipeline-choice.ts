import { showValue } from "./field-problem.ts";

/** Instructions given to an AI voice agent when AGENT_INSTRUCTIONS is unset. */
export const DEFAULT_AGENT_INSTRUCTIONS =
  "You are Agent Studio's voice assistant on an outbound phone call. Greet the person you called, " +
  "say briefly why you are calling, and keep every answer short and spoken-language friendly.";

/**
 * Which voice agent runs once the callee answers.
 * - `greeting`: no AI account; plays a short generated greeting tone and listens (smoke tests).
 * - `realtime`: OpenAI's realtime speech-to-speech model.
 * - `stt-llm-tts`: Deepgram speech-to-text, an OpenAI LLM and OpenAI text-to-speech.
 */
export type PipelineChoice =
  | { kind: "greeting"; reason: string }
  | { kind: "realtime" | "stt-llm-tts"; reason: string; instructions: string };

/** Result of {@link choosePipeline}: the choice, or one message per problem found. */
export type PipelineChoiceResult = { ok: true; choice: PipelineChoice } | { ok: false; problems: string[] };

const MODES = ["auto", "greeting", "realtime", "stt-llm-tts"] as const;
type Mode = (typeof MODES)[number];

/** Keys each AI pipeline needs, in the order they are reported when missing. */
const REQUIRED_KEYS = {
  realtime: ["OPENAI_API_KEY"],
  "stt-llm-tts": ["DEEPGRAM_API_KEY", "OPENAI_API_KEY"],
} as const;

/**
 * Chooses the voice pipeline from the environment. VOICE_PIPELINE=auto (the default) picks the
 * richest pipeline the configured keys allow: Deepgram + OpenAI keys → `stt-llm-tts`, an OpenAI key
 * alone → `realtime`, no keys → `greeting`. Naming a pipeline whose keys are missing is an error,
 * so a deployment never silently degrades to the greeting. Key values are never echoed.
 */
export function choosePipeline(env: Record<string, string | undefined>): PipelineChoiceResult {
  const has = (key: string) => (env[key] ?? "") !== "";
  const rawMode = env.VOICE_PIPELINE === undefined || env.VOICE_PIPELINE === "" ? "auto" : env.VOICE_PIPELINE;
  if (!(MODES as readonly string[]).includes(rawMode)) {
    return {
      ok: false,
      problems: [
        `VOICE_PIPELINE is ${showValue(rawMode)}, which is not valid: expected one of ${MODES.join(", ")}; ` +
          "fix it in the worker's environment",
      ],
    };
  }
  const mode = rawMode as Mode;
  const instructions = env.AGENT_INSTRUCTIONS?.trim() || DEFAULT_AGENT_INSTRUCTIONS;

  if (mode === "greeting") {
    return { ok: true, choice: { kind: "greeting", reason: "VOICE_PIPELINE=greeting" } };
  }
  if (mode === "auto") {
    if (REQUIRED_KEYS["stt-llm-tts"].every(has)) {
      return { ok: true, choice: { kind: "stt-llm-tts", reason: "DEEPGRAM_API_KEY and OPENAI_API_KEY are set", instructions } };
    }
    if (REQUIRED_KEYS.realtime.every(has)) {
      return { ok: true, choice: { kind: "realtime", reason: "OPENAI_API_KEY is set", instructions } };
    }
    return { ok: true, choice: { kind: "greeting", reason: "no AI provider key is set" } };
  }
  const missing = REQUIRED_KEYS[mode].filter((key) => !has(key));
  if (missing.length > 0) {
    return {
      ok: false,
      problems: missing.map(
        (key) =>
          `${key} is not set: VOICE_PIPELINE=${mode} needs it; set it in the worker's environment ` +
          "or choose another VOICE_PIPELINE (auto picks what the configured keys allow)",
      ),
    };
  }
  return { ok: true, choice: { kind: mode, reason: `VOICE_PIPELINE=${mode}`, instructions } };
}
