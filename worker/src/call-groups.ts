import { type ChildProcess, fork } from "node:child_process";
import { EventEmitter } from "node:events";
import { extname } from "node:path";
import { loadJobProcExecutor } from "./agents-internals.ts";
import { type AgentsMessage, type GroupLimits, type ToGroup, chooseGroup, parseFromGroup } from "./call-group-plan.ts";
import type { JsonLogger } from "./json-log.ts";

/** A retired group that has not exited by then is killed; it has no call left. */
const RETIRE_GRACE_MS = 10_000;

/**
 * What LiveKit Agents sees as one job process: one slot of a call group process. It behaves as
 * the `ChildProcess` LiveKit Agents' supervisor forks (messages, `exit`, `kill`), so LiveKit
 * Agents keeps doing all it does per job (pings, the idle pool, shutdown, the worker protocol).
 */
export class JobSlot extends EventEmitter {
  readonly id: number;
  readonly #group: CallGroup;
  #gone = false;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  killed = false;

  constructor(id: number, group: CallGroup) {
    super();
    this.id = id;
    this.#group = group;
  }

  get pid(): number | undefined {
    return this.#group.child.pid;
  }

  get connected(): boolean {
    return !this.#gone && this.#group.child.connected;
  }

  send(message: AgentsMessage): boolean {
    if (!this.connected) return false;
    return this.#group.send({ slot: this.id, message });
  }

  /**
   * LiveKit Agents kills a job process that stopped answering pings, would not shut down in time
   * or failed to start. Killing the group would end its other calls: the slot is abandoned
   * instead and the group takes no new call (it exits once its other calls end).
   */
  kill(signal: NodeJS.Signals = "SIGTERM"): boolean {
    if (this.#gone) return false;
    this.killed = true;
    this.#group.abandon(this, `LiveKit Agents killed job process slot ${this.id} (${signal})`);
    this.exited(null, signal);
    return true;
  }

  /** @internal The group delivers a message of this slot. */
  deliver(message: AgentsMessage): void {
    if (this.#gone) return;
    this.emit("message", message);
    // LiveKit Agents' job process exits after `done`; its supervisor waits for that exit.
    if (message.case === "done") this.exited(0, null);
  }

  /** @internal The slot ended: its job process "exited". */
  exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#gone) return;
    this.#gone = true;
    this.exitCode = code;
    this.signalCode = signal;
    this.#group.slotGone(this);
    setImmediate(() => this.emit("exit", code, signal));
  }
}

class CallGroup {
  readonly id: number;
  readonly child: ChildProcess;
  readonly slots = new Map<number, JobSlot>();
  given = 0;
  accepting = true;
  readonly #owner: CallGroups;

  constructor(id: number, child: ChildProcess, owner: CallGroups) {
    this.id = id;
    this.child = child;
    this.#owner = owner;
    child.on("message", (raw) => {
      const message = parseFromGroup(raw);
      if (message === undefined) return;
      if ("tainted" in message) this.stopAccepting(message.tainted);
      else this.slots.get(message.slot)?.deliver(message.message);
    });
    child.on("exit", (code, signal) => {
      for (const slot of [...this.slots.values()]) slot.exited(code, signal);
      owner.groupExited(this, code, signal);
    });
    child.on("error", (error) => owner.log.error("call_group.error", { group_pid: child.pid, error }));
  }

  send(message: ToGroup): boolean {
    if (!this.child.connected) return false;
    this.child.send(message);
    return true;
  }

  stopAccepting(reason: string): void {
    if (this.accepting) this.#owner.log.warn("call_group.retiring", { group_pid: this.child.pid, reason, calls_left: this.slots.size });
    this.accepting = false;
  }

  abandon(slot: JobSlot, reason: string): void {
    this.send({ slot: slot.id, abandon: true });
    this.stopAccepting(reason);
  }

  slotGone(slot: JobSlot): void {
    this.slots.delete(slot.id);
    if (this.slots.size > 0 || this.child.exitCode !== null || this.child.signalCode !== null) return;
    // An empty group exits: the idle slots LiveKit Agents keeps ahead live in another one.
    this.accepting = false;
    this.send({ retire: true });
    const kill = setTimeout(() => this.child.kill("SIGKILL"), RETIRE_GRACE_MS);
    kill.unref();
    this.child.once("exit", () => clearTimeout(kill));
  }
}

/**
 * The worker's call group processes: each runs up to `callsPerProcess` calls (jobs) at once,
 * instead of one process per call. Slots go to the fullest group with room; a group serves
 * `slotsPerProcessLifetime` slots and then retires, so one long-lived process does not collect
 * what calls leave behind.
 */
export class CallGroups {
  readonly log: JsonLogger;
  readonly #limits: GroupLimits;
  readonly #groups = new Map<number, CallGroup>();
  readonly #main: URL;
  #nextGroup = 1;
  #nextSlot = 1;

  constructor(limits: GroupLimits, log: JsonLogger, main: URL = new URL(`./call-group-process${extname(import.meta.url)}`, import.meta.url)) {
    this.#limits = limits;
    this.log = log;
    this.#main = main;
  }

  /** A new slot: in the group {@link chooseGroup} picks, or in a group started for it. */
  createSlot(): JobSlot {
    const loads = [...this.#groups.values()].map((g) => ({ id: g.id, live: g.slots.size, given: g.given, accepting: g.accepting }));
    const chosen = chooseGroup(loads, this.#limits);
    const group = chosen === undefined ? this.#startGroup() : this.#groups.get(chosen)!;
    const slot = new JobSlot(this.#nextSlot++, group);
    group.slots.set(slot.id, slot);
    group.given += 1;
    if (group.given >= this.#limits.slotsPerProcessLifetime) group.stopAccepting(`served its ${this.#limits.slotsPerProcessLifetime} slots`);
    return slot;
  }

  #startGroup(): CallGroup {
    const child = fork(this.#main, [], { execArgv: process.execArgv });
    const group = new CallGroup(this.#nextGroup++, child, this);
    this.#groups.set(group.id, group);
    this.log.info("call_group.started", { group_pid: child.pid, calls_per_process: this.#limits.callsPerProcess });
    return group;
  }

  /** @internal */
  groupExited(group: CallGroup, code: number | null, signal: NodeJS.Signals | null): void {
    this.#groups.delete(group.id);
    const fields = { group_pid: group.child.pid, code, signal };
    if (code === 0) this.log.info("call_group.exited", fields);
    else this.log.error("call_group.died", fields);
  }
}

/**
 * Makes LiveKit Agents' process pool run its jobs in `groups` instead of forking a process per
 * job: every "process" it creates from now on is a slot.
 */
export async function runJobsInCallGroups(groups: CallGroups): Promise<void> {
  const executor = await loadJobProcExecutor();
  executor.prototype.createProcess = () => groups.createSlot();
}
