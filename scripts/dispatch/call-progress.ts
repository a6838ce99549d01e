/**
 * What a dispatched call goes through as seen from its room, and the summary a run ends with.
 * Pure: the room observer produces these events, the report turns them into lines.
 */

/** Attribute keys the worker sets on its participant (worker/README.md "Attributes"). */
export const workerAttributes = {
  callId: "agent_studio.call_id",
  callStatus: "agent_studio.call_status",
  outcome: "agent_studio.call_outcome",
  reason: "agent_studio.call_outcome_reason",
  sipStatusCode: "agent_studio.sip_status_code",
  sipStatus: "agent_studio.sip_status",
} as const;

/** The identity the callee's SIP participant gets in the room (the worker's `sip-<call_id>`). */
export function calleeIdentity(callId: string): string {
  return `sip-${callId}`;
}

/** How dialling ended, as the worker reported it. */
export interface CallOutcome {
  /** `answered`, `busy`, `no_answer`, `rejected` or `failed`. */
  outcome: string;
  /** Short cause, e.g. `forbidden`, `ringing_timeout`. */
  reason: string;
  /** SIP final status, when known. */
  sipStatusCode?: number;
  /** SIP reason phrase, when known. */
  sipStatus?: string;
}

/** One thing seen in the call's room. */
export type CallProgress =
  | { kind: "worker_joined"; identity: string }
  | { kind: "dialing" }
  | { kind: "outcome"; outcome: CallOutcome }
  | { kind: "callee_joined"; identity: string }
  | { kind: "callee_left"; identity: string; reason: string }
  | { kind: "room_closed"; reason: string };

/** How a run ended. */
export interface CallSummary {
  /** The call's ID (also the room's name). */
  callId: string;
  /** Whether a worker took the job. */
  workerJoined: boolean;
  /** The dial outcome the worker reported, if it reported one. */
  outcome?: CallOutcome;
  /** Why an answered call ended: the callee hung up, or the room closed. */
  ended?: "callee_hung_up" | "room_closed";
  /** Why the run ended without an outcome or an end. */
  problem?: string;
}

/**
 * The outcome a worker participant's attributes carry, once it has set one for `callId`
 * (attributes of another call, or still dialling, give undefined).
 */
export function outcomeFromAttributes(attributes: Readonly<Record<string, string>>, callId: string): CallOutcome | undefined {
  const outcome = attributes[workerAttributes.outcome];
  if (attributes[workerAttributes.callId] !== callId || !outcome) return undefined;
  const code = Number(attributes[workerAttributes.sipStatusCode]);
  const status = attributes[workerAttributes.sipStatus];
  return {
    outcome,
    reason: attributes[workerAttributes.reason] ?? "",
    ...(Number.isInteger(code) && code > 0 ? { sipStatusCode: code } : {}),
    ...(status ? { sipStatus: status } : {}),
  };
}

/**
 * Why an answered call ended, from its SIP participant's disconnect reason: livekit-sip reports the
 * callee's BYE as client-initiated; anything else (the room deleted by the worker) is the agent's side.
 */
export function endOfAnsweredCall(calleeDisconnectReason: string): NonNullable<CallSummary["ended"]> {
  return calleeDisconnectReason === "client_initiated" ? "callee_hung_up" : "room_closed";
}

/** One line describing a progress event, for the person placing the call. */
export function describeProgress(progress: CallProgress, phoneNumber: string): string {
  switch (progress.kind) {
    case "worker_joined":
      return `worker ${progress.identity} took the job`;
    case "dialing":
      return `dialing ${phoneNumber}`;
    case "outcome":
      return `outcome: ${describeOutcome(progress.outcome)}`;
    // livekit-sip puts the call leg in the room as soon as it dials, so these say nothing of an answer.
    case "callee_joined":
      return `SIP participant ${progress.identity} joined the room`;
    case "callee_left":
      return `SIP participant ${progress.identity} left the room (${progress.reason})`;
    case "room_closed":
      return `room closed (${progress.reason})`;
  }
}

/** `rejected (forbidden, SIP 403 Forbidden)`. */
export function describeOutcome(outcome: CallOutcome): string {
  const sip = outcome.sipStatusCode === undefined ? "" : `, SIP ${outcome.sipStatusCode}${outcome.sipStatus ? ` ${outcome.sipStatus}` : ""}`;
  return `${outcome.outcome} (${outcome.reason}${sip})`;
}

/** The closing line of a run. */
export function describeSummary(summary: CallSummary, agentName: string): string {
  if (summary.problem !== undefined) return `no outcome: ${summary.problem}`;
  if (!summary.workerJoined) {
    return `no outcome: no worker registered as "${agentName}" took the job; check that the worker runs and its AGENT_NAME`;
  }
  if (summary.outcome === undefined) {
    return "no outcome: the worker ended the job without dialling (invalid job metadata or a worker error: look for call.invalid_metadata or call.failed in its log)";
  }
  if (summary.outcome.outcome !== "answered") return `call not answered: ${describeOutcome(summary.outcome)}`;
  return summary.ended === "callee_hung_up" ? "call answered and ended: the callee hung up" : "call answered and ended: the room closed";
}

/** 0 when the callee answered, 1 otherwise. */
export function exitCodeOf(summary: CallSummary): number {
  return summary.outcome?.outcome === "answered" ? 0 : 1;
}
