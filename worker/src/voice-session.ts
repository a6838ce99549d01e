import { voice } from "@livekit/agents";
import type { Room } from "@livekit/rtc-node";
import type { PipelineChoice } from "./pipeline-choice.ts";

/** An AI pipeline choice (anything but the greeting). */
export type AiPipelineChoice = Exclude<PipelineChoice, { kind: "greeting" }>;

/**
 * Builds the AI voice agent the choice names and starts it on the callee's audio. Plugins are
 * imported only here, so a greeting-only worker never loads a provider SDK. Each plugin reads its
 * key from the environment (OPENAI_API_KEY, DEEPGRAM_API_KEY). The agent speaks first once `ready`
 * has resolved (an inbound call's answer; an outbound call is answered already).
 */
export async function startVoiceSession(
  room: Room,
  choice: AiPipelineChoice,
  calleeIdentity: string,
  ready: Promise<void> = Promise.resolve(),
): Promise<voice.AgentSession> {
  const session = await createSession(choice);
  await session.start({
    agent: new voice.Agent({ instructions: choice.instructions }),
    room,
    // The worker ends the call itself when the callee leaves (it logs and deletes the room).
    inputOptions: { participantIdentity: calleeIdentity, closeOnDisconnect: false },
  });
  // The agent speaks first, following its instructions, once the person can hear it.
  await ready;
  session.generateReply();
  return session;
}

async function createSession(choice: AiPipelineChoice): Promise<voice.AgentSession> {
  const openai = await import("@livekit/agents-plugin-openai");
  if (choice.kind === "realtime") {
    return new voice.AgentSession({ llm: new openai.realtime.RealtimeModel() });
  }
  const deepgram = await import("@livekit/agents-plugin-deepgram");
  return new voice.AgentSession({ stt: new deepgram.STT(), llm: new openai.LLM(), tts: new openai.TTS() });
}
