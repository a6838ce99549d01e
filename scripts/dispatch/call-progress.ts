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

/** One thing seen of the call: in its room, or (for a call into the stack) at the caller's end. */
export type CallProgress =
  | { kind: "calling"; via: string }
  | { kind: "room_found"; room: string; identity: string }
  | { kind: "worker_joined"; identity: string }
  | { kind: "dialing" }
  | { kind: "outcome"; outcome: CallOutcome }
  | { kind: "callee_joined"; identity: string }
  | { kind: "callee_left"; identity: string; reason: string }
  | { kind: "room_closed"; reason: string };

/** What the caller of a call into the stack saw. */
export interface CallerReport {
  /** The INVITE's final response (sipp), when one came. */
  sipStatus?: { code: number; reason: string };
  /** Whether the stack rang (180) before its final response (sipp). */
  ringing?: boolean;
  /** The caller's RTP (sipp): packets received from the stack, the audible ones, and sent. */
  audio?: { packets: number; audiblePackets: number; sent: number };
  /** Twilio's call SID and its last status (`completed`, `busy`, `no-answer`, `failed`...). */
  twilioCallSid?: string;
  twilioStatus?: string;
}

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
  /** For a call into the stack: `inbound`, the room the dispatch rule made, and the caller's view. */
  direction?: "inbound";
  room?: string;
  caller?: CallerReport;
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

/**
 * One line describing a progress event, for the person placing the call. `phoneNumber` is the
 * callee of an outbound call, or with `inbound` the stack's number called.
 */
export function describeProgress(progress: CallProgress, phoneNumber: string, inbound = false): string {
  switch (progress.kind) {
    case "calling":
      return `calling ${phoneNumber} ${progress.via}`;
    case "room_found":
      return `the call came in: room ${progress.room}, caller ${progress.identity}`;
    case "worker_joined":
      return `worker ${progress.identity} took the job`;
    case "dialing":
      return inbound ? "the worker is answering" : `dialing ${phoneNumber}`;
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

/** `SIP 486 Busy Here`, or that no final response came. */
function describeSipStatus(caller: CallerReport | undefined): string {
  if (caller?.twilioStatus !== undefined) return `Twilio's call status ${caller.twilioStatus}`;
  if (caller?.sipStatus === undefined) return `no final SIP response${caller?.ringing ? " after ringing" : ""} (the stack dropped the call)`;
  return `SIP ${caller.sipStatus.code} ${caller.sipStatus.reason}${caller.ringing ? " after ringing" : ""}`.trimEnd();
}

/** What the caller heard of the agent, when the caller's RTP was counted. */
function describeHeard(caller: CallerReport | undefined): string {
  const audio = caller?.audio;
  if (audio === undefined) return "";
  return audio.audiblePackets > 0
    ? `; the caller heard the agent (${audio.audiblePackets} audible of ${audio.packets} RTP packets)`
    : `; the caller heard nothing from the agent (${audio.packets} RTP packets, none audible)`;
}

/** The closing line of a call into the stack. */
function describeInboundSummary(summary: CallSummary, agentName: string): string {
  const caller = summary.caller;
  if (summary.room === undefined) {
    return `call not answered: no room was created for it; the caller got ${describeSipStatus(caller)}${summary.problem ? ` (${summary.problem})` : ""}`;
  }
  if (!summary.workerJoined) {
    return `no outcome: no worker registered as "${agentName}" took the call in room ${summary.room}; the caller got ${describeSipStatus(caller)}`;
  }
  if (summary.outcome === undefined) return `no outcome: ${summary.problem ?? "the worker ended the job without answering (look for call.invalid_job or call.failed in its log)"}`;
  if (summary.outcome.outcome !== "answered") return `call not answered: ${describeOutcome(summary.outcome)}`;
  const end = summary.ended === "callee_hung_up" ? "the caller hung up" : "the room closed";
  return `call answered and ended: ${end}${describeHeard(caller)}`;
}

/** The closing line of a run. */
export function describeSummary(summary: CallSummary, agentName: string): string {
  if (summary.direction === "inbound") return describeInboundSummary(summary, agentName);
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

/** 0 when the call was answered (and a counted caller heard the agent), 1 otherwise. */
export function exitCodeOf(summary: CallSummary): number {
  const heard = summary.caller?.audio === undefined || summary.caller.audio.audiblePackets > 0;
  return summary.outcome?.outcome === "answered" && heard ? 0 : 1;
}
