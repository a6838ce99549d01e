import { services, workerProfile } from "./compose";
import { fileNames } from "./file-names";
import { hostLayout, internalPorts } from "./host-layout";
import type { HostFile } from "./runtime-files";

/** What the worker's environment is rendered from (plain values; secrets already unwrapped). */
export interface WorkerEnvInput {
  /** LiveKit API key. */
  apiKey: string;
  /** LiveKit API secret. */
  apiSecret: string;
  /** ID (`ST_…`) of the LiveKit outbound trunk every call is dialled through. */
  sipOutboundTrunkId: string;
  /** `agent_name` the worker registers; dispatches and the inbound dispatch rule name it. */
  agentName: string;
  /** OpenAI API key (realtime or LLM/TTS pipelines). Defaults to none: the worker plays its greeting only. */
  openaiApiKey?: string;
  /** Deepgram API key (speech-to-text, with the OpenAI key). Defaults to none. */
  deepgramApiKey?: string;
}

/** Where the worker's env file lives on the host (compose's `env_file` of the worker). */
export const workerEnvPath = `${hostLayout.stackDir}/${fileNames.workerEnv}`;

// Compose reads env files with its own dotenv parser: quotes, `#`, `$` and whitespace would be
// interpreted, so only values made of these characters are written, as they are.
const plainValue = /^[A-Za-z0-9_.:/+=@-]*$/;

/**
 * The worker's env file (worker/README.md lists the variables): LiveKit on loopback, the key pair,
 * the outbound trunk, the agent name, the health endpoint compose probes, and the AI keys that are
 * set. Mode 0600 (it holds the API secret); a change recreates the worker only. Throws naming the
 * variable (never its value) when a value could not be written literally.
 */
export function renderWorkerEnv(input: WorkerEnvInput): HostFile {
  const variables: [string, string | undefined][] = [
    ["LIVEKIT_URL", `ws://127.0.0.1:${internalPorts.livekitApi}`],
    ["LIVEKIT_API_KEY", input.apiKey],
    ["LIVEKIT_API_SECRET", input.apiSecret],
    ["SIP_OUTBOUND_TRUNK_ID", input.sipOutboundTrunkId],
    ["AGENT_NAME", input.agentName],
    ["HEALTH_HOST", "127.0.0.1"],
    ["HEALTH_PORT", String(internalPorts.workerHealth)],
    ["OPENAI_API_KEY", input.openaiApiKey],
    ["DEEPGRAM_API_KEY", input.deepgramApiKey],
  ];
  const set = variables.filter((entry): entry is [string, string] => entry[1] !== undefined);
  const unsafe = set.filter(([, value]) => !plainValue.test(value)).map(([name]) => name);
  if (unsafe.length > 0) {
    throw new Error(
      `Cannot render the worker's env file: ${unsafe.join(", ")} hold characters compose would interpret ` +
        "(expected letters, digits and _ . : / + = @ -)",
    );
  }
  return {
    path: workerEnvPath,
    content: ["# Rendered by agent-studio-voice: the agent worker's environment.", ...set.map(([name, value]) => `${name}=${value}`), ""].join("\n"),
    mode: "0600",
    onChange: { kind: "restart-worker", service: services.worker, profile: workerProfile },
  };
}
