import { z } from "zod";
import { DEFAULT_CALLS_PER_PROCESS, MAX_CALLS_PER_PROCESS } from "./call-group-plan.ts";
import { showValue } from "./field-problem.ts";
import { E164_EXPECTATION, e164PhoneNumber } from "./phone-number.ts";

/** The worker's settings, read from its environment once at start-up (see README.md). */
export interface WorkerConfig {
  /** LiveKit server URL the worker registers with and calls the API on. */
  livekitUrl: string;
  /** LiveKit API key. */
  apiKey: string;
  /** LiveKit API secret; never logged. */
  apiSecret: string;
  /** LiveKit outbound SIP trunk every call is dialled through. */
  sipOutboundTrunkId: string;
  /** Name the worker registers under; backends dispatch jobs to this name. */
  agentName: string;
  /** How long the callee's phone may ring before the call counts as unanswered. */
  ringingTimeoutSeconds: number;
  /** Number shown to callees when the job gives no caller_id; the trunk's number when absent. */
  defaultCallerId?: string;
  /** Address the health endpoint listens on. */
  healthHost: string;
  /** Port of the health endpoint (`GET /` answers 200 once registered with LiveKit). */
  healthPort: number;
  /** Address the Prometheus metrics endpoint (`GET /metrics`) listens on. */
  metricsHost: string;
  /** Port of the Prometheus metrics endpoint. */
  metricsPort: number;
  /**
   * Calls one worker process takes at once; when absent the worker sheds load by the machine's
   * CPU use instead (LiveKit Agents' default).
   */
  maxConcurrentCalls?: number;
  /**
   * Calls one call group process runs at once: the most calls one process's death (a native
   * fault, an out-of-memory kill) can end. 1 is a process per call, as LiveKit Agents runs them.
   */
  callsPerProcess: number;
  /** Longest an outbound call may last once answered; livekit-sip hangs up then. Absent: livekit-sip's own 24 hours. */
  maxCallSeconds?: number;
}

/** Result of {@link loadWorkerConfig}: the settings, or one message per problem found. */
export type WorkerConfigResult = { ok: true; config: WorkerConfig } | { ok: false; problems: string[] };

/** Agent name used when AGENT_NAME is unset; dispatches must name the same agent. */
export const DEFAULT_AGENT_NAME = "agent-studio-voice";
/** Ringing timeout used when RINGING_TIMEOUT_SECONDS is unset (LiveKit's SDK default too). */
export const DEFAULT_RINGING_TIMEOUT_SECONDS = 30;
/** Health endpoint port used when HEALTH_PORT is unset (the LiveKit Agents production default). */
export const DEFAULT_HEALTH_PORT = 8081;
/** Health endpoint address used when HEALTH_HOST is unset: loopback, as the stack never exposes it. */
export const DEFAULT_HEALTH_HOST = "127.0.0.1";
/** Metrics endpoint port used when METRICS_PORT is unset (next to the health port). */
export const DEFAULT_METRICS_PORT = 8082;

const integerText = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const schema = z.object({
  LIVEKIT_URL: z.string().regex(/^(wss?|https?):\/\/[^\s/]+/),
  LIVEKIT_API_KEY: z.string(),
  LIVEKIT_API_SECRET: z.string().min(32),
  SIP_OUTBOUND_TRUNK_ID: z.string().regex(/^ST_[A-Za-z0-9]+$/),
  AGENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
    .default(DEFAULT_AGENT_NAME),
  RINGING_TIMEOUT_SECONDS: integerText(1, 600).default(DEFAULT_RINGING_TIMEOUT_SECONDS),
  DEFAULT_CALLER_ID: e164PhoneNumber.optional(),
  HEALTH_HOST: z.string().default(DEFAULT_HEALTH_HOST),
  HEALTH_PORT: integerText(1, 65535).default(DEFAULT_HEALTH_PORT),
  METRICS_HOST: z.string().default(DEFAULT_HEALTH_HOST),
  METRICS_PORT: integerText(1, 65535).default(DEFAULT_METRICS_PORT),
  MAX_CONCURRENT_CALLS: integerText(1, 1000).optional(),
  MAX_CALL_SECONDS: integerText(1, 86400).optional(),
  CALLS_PER_PROCESS: integerText(1, MAX_CALLS_PER_PROCESS).default(DEFAULT_CALLS_PER_PROCESS),
});

type Key = keyof z.input<typeof schema>;

const EXPECTED: Record<Key, string> = {
  LIVEKIT_URL: "the LiveKit server URL (ws://, wss://, http:// or https://), e.g. ws://127.0.0.1:7880",
  LIVEKIT_API_KEY: "the LiveKit API key",
  LIVEKIT_API_SECRET: "the LiveKit API secret, at least 32 characters (livekit-server requires that length)",
  SIP_OUTBOUND_TRUNK_ID: 'the LiveKit outbound SIP trunk ID, e.g. "ST_a1b2c3d4" (`lk sip outbound list` shows it)',
  AGENT_NAME: "1-64 letters, digits, '.', '_' or '-' (the name backends dispatch calls to)",
  RINGING_TIMEOUT_SECONDS: "a whole number of seconds from 1 to 600",
  DEFAULT_CALLER_ID: E164_EXPECTATION,
  HEALTH_HOST: "an address to listen on, e.g. 127.0.0.1 or 0.0.0.0",
  HEALTH_PORT: "a TCP port from 1 to 65535",
  METRICS_HOST: "an address to listen on, e.g. 127.0.0.1 or 0.0.0.0",
  METRICS_PORT: "a TCP port from 1 to 65535, not HEALTH_PORT",
  MAX_CONCURRENT_CALLS: "a whole number of calls from 1 to 1000 (unset: limit by CPU use)",
  MAX_CALL_SECONDS: "a whole number of seconds from 1 to 86400 (unset: livekit-sip's 24 hours)",
  CALLS_PER_PROCESS: `a whole number of calls from 1 to ${MAX_CALLS_PER_PROCESS} (unset: ${DEFAULT_CALLS_PER_PROCESS}; 1 runs every call in a process of its own)`,
};

const SECRETS: ReadonlySet<Key> = new Set(["LIVEKIT_API_SECRET"]);

/**
 * Reads and checks the worker's environment. Every problem names the variable, shows its value
 * (never a secret's), says what is expected and how to fix it; an empty variable counts as unset.
 */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfigResult {
  const set = Object.fromEntries(
    (Object.keys(EXPECTED) as Key[]).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(set, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => describeIssue(issue, set)) };
  }
  const v = parsed.data;
  if (v.METRICS_PORT === v.HEALTH_PORT) {
    return { ok: false, problems: [`METRICS_PORT is ${JSON.stringify(String(v.METRICS_PORT))}, which is not valid: expected ${EXPECTED.METRICS_PORT}; fix it in the worker's environment`] };
  }
  return {
    ok: true,
    config: {
      livekitUrl: v.LIVEKIT_URL,
      apiKey: v.LIVEKIT_API_KEY,
      apiSecret: v.LIVEKIT_API_SECRET,
      sipOutboundTrunkId: v.SIP_OUTBOUND_TRUNK_ID,
      agentName: v.AGENT_NAME,
      ringingTimeoutSeconds: v.RINGING_TIMEOUT_SECONDS,
      ...(v.DEFAULT_CALLER_ID === undefined ? {} : { defaultCallerId: v.DEFAULT_CALLER_ID }),
      healthHost: v.HEALTH_HOST,
      healthPort: v.HEALTH_PORT,
      metricsHost: v.METRICS_HOST,
      metricsPort: v.METRICS_PORT,
      ...(v.MAX_CONCURRENT_CALLS === undefined ? {} : { maxConcurrentCalls: v.MAX_CONCURRENT_CALLS }),
      ...(v.MAX_CALL_SECONDS === undefined ? {} : { maxCallSeconds: v.MAX_CALL_SECONDS }),
      callsPerProcess: v.CALLS_PER_PROCESS,
    },
  };
}

function describeIssue(issue: z.core.$ZodIssue, set: Record<string, string | undefined>): string {
  const key = String(issue.path[0]) as Key;
  const raw = set[key];
  if (raw === undefined) {
    return `${key} is not set: expected ${EXPECTED[key]}; set it in the worker's environment`;
  }
  const shown = SECRETS.has(key) ? "set to a value that" : `${showValue(raw)}, which`;
  return `${key} is ${shown} is not valid: expected ${EXPECTED[key]}; fix it in the worker's environment`;
}
