import { fileNames, workerSlotsScriptPath } from "./file-names";
import { hostLayout, internalPorts } from "./host-layout";
import type { HostFile } from "./runtime-files";
import { renderEnvFile } from "./env-file";

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
  /** Calls one call group process of the worker runs at once (`CALLS_PER_PROCESS`). */
  callsPerProcess: number;
  /** Longest outbound call in seconds (`MAX_CALL_SECONDS`). Defaults to none: livekit-sip's 24 hours. */
  maxCallSeconds?: number;
}

/** Where the worker's env file lives on the host (compose's `env_file` of the worker). */
export const workerEnvPath = `${hostLayout.stackDir}/${fileNames.workerEnv}`;

/**
 * The worker's env file (worker/README.md lists the variables): LiveKit on loopback, the key pair,
 * the outbound trunk, the agent name, the health endpoint's host (each slot sets its own port), and
 * the AI keys that are set. Mode 0600 (it holds the API secret); a change hands the calls over to a
 * new worker (see `workerSlots`) and touches nothing else. Throws naming the
 * variable (never its value) when a value could not be written literally ({@link renderEnvFile}).
 */
export function renderWorkerEnv(input: WorkerEnvInput): HostFile {
  const variables: [string, string | undefined][] = [
    ["LIVEKIT_URL", `ws://127.0.0.1:${internalPorts.livekitApi}`],
    ["LIVEKIT_API_KEY", input.apiKey],
    ["LIVEKIT_API_SECRET", input.apiSecret],
    ["SIP_OUTBOUND_TRUNK_ID", input.sipOutboundTrunkId],
    ["AGENT_NAME", input.agentName],
    ["HEALTH_HOST", "127.0.0.1"],
    ["METRICS_HOST", "127.0.0.1"],
    ["OPENAI_API_KEY", input.openaiApiKey],
    ["DEEPGRAM_API_KEY", input.deepgramApiKey],
    ["CALLS_PER_PROCESS", String(input.callsPerProcess)],
    ["MAX_CALL_SECONDS", input.maxCallSeconds === undefined ? undefined : String(input.maxCallSeconds)],
  ];
  return {
    path: workerEnvPath,
    content: renderEnvFile("the agent worker's environment", variables),
    mode: "0600",
    onChange: { kind: "hand-over-worker", script: workerSlotsScriptPath },
  };
}
