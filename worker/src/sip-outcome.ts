/** How a call attempt ended up; `abandoned` only for an inbound caller who hung up before the answer. */
export type CallOutcomeKind = "answered" | "busy" | "no_answer" | "rejected" | "failed" | "abandoned";

/** The outcome of dialling the callee, as logged and set as attributes. */
export interface CallOutcome {
  outcome: CallOutcomeKind;
  /** Short machine-readable cause, e.g. "busy_here", "ringing_timeout", "auth_failed". */
  reason: string;
  /** SIP final response code, when the carrier sent one. */
  sipStatusCode?: number;
  /** SIP reason phrase (or the carrier's error text), when known. */
  sipStatus?: string;
  /** The error message the dial failed with, for people reading the log. */
  detail?: string;
}

/** The outcome of a call the callee picked up. */
export const ANSWERED: CallOutcome = { outcome: "answered", reason: "answered", sipStatusCode: 200 };

const BY_SIP_STATUS: Record<number, Pick<CallOutcome, "outcome" | "reason">> = {
  401: { outcome: "rejected", reason: "auth_failed" },
  403: { outcome: "rejected", reason: "forbidden" },
  407: { outcome: "rejected", reason: "auth_failed" },
  408: { outcome: "no_answer", reason: "request_timeout" },
  480: { outcome: "no_answer", reason: "temporarily_unavailable" },
  486: { outcome: "busy", reason: "busy_here" },
  487: { outcome: "no_answer", reason: "request_terminated" },
  600: { outcome: "busy", reason: "busy_everywhere" },
  603: { outcome: "rejected", reason: "declined" },
};

/**
 * Classifies a SIP final response code: 486/600 busy; 408/480/487 no answer; 401/403/407/603
 * rejected; any other code failed.
 */
export function outcomeForSipStatus(code: number, status?: string): CallOutcome {
  const known = BY_SIP_STATUS[code] ?? { outcome: "failed" as const, reason: `sip_${code}` };
  return { ...known, sipStatusCode: code, ...(status ? { sipStatus: status } : {}) };
}

/** The parts of livekit-server-sdk's ServerError / SipCallError this module reads. */
interface ServerErrorLike {
  message: string;
  name?: string;
  code?: string;
  metadata?: Record<string, string>;
}

// livekit-sip's own error texts for failures that carry no SIP status
// (github.com/livekit/sip pkg/sip/protocol.go and errors.go).
const AUTH_FAILURES = [
  "max auth retry attempts reached",
  "sip server required auth, but no username or password",
  "no auth header in sip invite response",
];
const RINGING_TIMEOUT = "sip request timed out";
const NO_FINAL_RESPONSE = /transaction failed to complete \((\d+) intermediate responses\)/;

/**
 * Classifies the error CreateSIPParticipant (with waitUntilAnswered) failed with.
 * A SIP status in the error's metadata (`sip_status_code`) decides first
 * ({@link outcomeForSipStatus}); otherwise livekit-sip's error text does: the ringing timeout
 * expiring, or a carrier that only sent provisional responses, is no answer; a digest challenge
 * the trunk's credentials could not satisfy is rejected; a carrier that sent nothing at all,
 * an unknown trunk, or LiveKit being unreachable is failed.
 */
export function classifyDialError(error: unknown): CallOutcome {
  const err = asServerErrorLike(error);
  const detail = err.message;
  const code = Number(err.metadata?.sip_status_code);
  if (Number.isInteger(code) && code > 0) {
    return { ...outcomeForSipStatus(code, err.metadata?.sip_status), detail };
  }
  const text = detail.toLowerCase();
  if (AUTH_FAILURES.some((phrase) => text.includes(phrase))) {
    return { outcome: "rejected", reason: "auth_failed", detail };
  }
  if (text.includes(RINGING_TIMEOUT)) {
    return { outcome: "no_answer", reason: "ringing_timeout", detail };
  }
  const noFinal = NO_FINAL_RESPONSE.exec(text);
  if (noFinal) {
    return Number(noFinal[1]) > 0
      ? { outcome: "no_answer", reason: "no_final_response", detail }
      : { outcome: "failed", reason: "carrier_not_responding", detail };
  }
  // The SDK aborts its own request a little after the ringing timeout (AbortSignal.timeout).
  if (err.name === "TimeoutError") {
    return { outcome: "no_answer", reason: "request_timeout", detail };
  }
  if (err.code === "not_found") {
    return { outcome: "failed", reason: "not_found", detail };
  }
  if (err.code !== undefined) {
    return { outcome: "failed", reason: err.code, detail };
  }
  return { outcome: "failed", reason: "error", detail };
}

function asServerErrorLike(error: unknown): ServerErrorLike {
  if (typeof error === "object" && error !== null && "message" in error) {
    const e = error as Partial<ServerErrorLike>;
    return {
      message: String(e.message),
      ...(typeof e.name === "string" ? { name: e.name } : {}),
      ...(typeof e.code === "string" ? { code: e.code } : {}),
      ...(typeof e.metadata === "object" && e.metadata !== null ? { metadata: e.metadata } : {}),
    };
  }
  return { message: String(error) };
}

/** Log fields of an outcome, snake_case like every other field. */
export function outcomeLogFields(outcome: CallOutcome): Record<string, unknown> {
  return {
    outcome: outcome.outcome,
    reason: outcome.reason,
    sip_status_code: outcome.sipStatusCode ?? null,
    sip_status: outcome.sipStatus ?? null,
    ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
  };
}
