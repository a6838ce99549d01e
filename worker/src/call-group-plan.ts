/**
 * How calls are spread over the worker's call group processes, and what crosses between the
 * worker and them. Pure.
 *
 * LiveKit Agents talks to each job process over Node's IPC with messages `{case, value}`. A call
 * group process hosts several of those "processes" as slots, so every message between the worker
 * and a group carries the slot it belongs to; a few more are about the group itself.
 */

/** A message of LiveKit Agents' job process protocol (`initializeRequest`, `startJobRequest`, `pingRequest`, `done`, …). */
export interface AgentsMessage {
  case: string;
  value?: unknown;
}

/** Worker → group. */
export type ToGroup =
  | { slot: number; message: AgentsMessage }
  /** The worker gave up on this slot (LiveKit Agents "killed" it): drop its call without waiting. */
  | { slot: number; abandon: true }
  /** No slot left and none to come: exit. */
  | { retire: true };

/** Group → worker. */
export type FromGroup =
  | { slot: number; message: AgentsMessage }
  /** Something went wrong that may have left the process unsound: it takes no new calls. */
  | { tainted: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isAgentsMessage(value: unknown): value is AgentsMessage {
  return isRecord(value) && typeof value.case === "string";
}

/** A message from a group, or undefined for anything else (never throws). */
export function parseFromGroup(value: unknown): FromGroup | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.tainted === "string") return { tainted: value.tainted };
  if (Number.isInteger(value.slot) && isAgentsMessage(value.message)) return { slot: value.slot as number, message: value.message };
  return undefined;
}

/** A message from the worker, or undefined for anything else (never throws). */
export function parseToGroup(value: unknown): ToGroup | undefined {
  if (!isRecord(value)) return undefined;
  if (value.retire === true) return { retire: true };
  if (!Number.isInteger(value.slot)) return undefined;
  if (value.abandon === true) return { slot: value.slot as number, abandon: true };
  if (isAgentsMessage(value.message)) return { slot: value.slot as number, message: value.message };
  return undefined;
}

/**
 * Slots (calls, and the idle slots kept ahead) one call group process serves before it retires:
 * a process start (about 1.3 CPU-seconds) spread over that many calls, and whatever calls leave
 * behind in a process's heap and native runtime cleared as often.
 */
export const SLOTS_PER_PROCESS_LIFETIME = 100;

/** Calls per call group process when CALLS_PER_PROCESS is unset (see README.md, "Call group processes"). */
export const DEFAULT_CALLS_PER_PROCESS = 8;
/** Most calls one call group process may run: the most calls a process's death can end. */
export const MAX_CALLS_PER_PROCESS = 64;

/** How many calls share a process, at most, and for how many calls one process serves before it retires. */
export interface GroupLimits {
  callsPerProcess: number;
  slotsPerProcessLifetime: number;
}

/** What the choice needs to know of a running group. */
export interface GroupLoad {
  id: number;
  /** Slots alive now: idle (waiting for a call) or on a call. */
  live: number;
  /** Slots it was ever given. */
  given: number;
  /** False once tainted or retiring. */
  accepting: boolean;
}

/**
 * The group a new slot goes to: among those accepting, with room now and in their lifetime, the
 * fullest (calls pack into as few processes as possible, so an emptied one can exit); `undefined`:
 * start a new group.
 */
export function chooseGroup(groups: readonly GroupLoad[], limits: GroupLimits): number | undefined {
  const open = groups.filter((g) => g.accepting && g.live < limits.callsPerProcess && g.given < limits.slotsPerProcessLifetime);
  open.sort((a, b) => b.live - a.live || a.id - b.id);
  return open[0]?.id;
}
