import { JobContext, JobProcess, type RunningJobInfo, getJobContext, initializeLogger, log, runWithJobContextAsync } from "@livekit/agents";
import { Room, RoomEvent, dispose } from "@livekit/rtc-node";
import agent from "./agent.ts";
import { type JobLifecycle, loadJobLifecycle } from "./agents-internals.ts";
import { type AgentsMessage, type FromGroup, parseToGroup } from "./call-group-plan.ts";
import { closeSlotReporter } from "./call-reporter.ts";
import { createJsonLogger } from "./json-log.ts";

/**
 * A call group process: runs several calls (LiveKit Agents jobs) at once, one per slot, for the
 * worker's {@link CallGroups}. Each slot speaks LiveKit Agents' job process protocol and runs its
 * job as LiveKit Agents' own job process does (its room, its JobContext, the entrypoint, then the
 * session's end and the shutdown callbacks), so one process's runtime, heap and WebRTC threads
 * serve all of its calls.
 *
 * What one call can do to the others: an error thrown by one call's code ends that call only (its
 * JobContext tells whose it is) and the process takes no new call; the process dying (a native
 * fault, an out-of-memory kill) ends every call it holds, at most `callsPerProcess`.
 */

const groupLog = createJsonLogger({ fields: { group_pid: process.pid } });

const send = (message: FromGroup) => {
  if (process.connected) process.send?.(message);
};

const lifecycle: JobLifecycle = await loadJobLifecycle();

interface Slot {
  id: number;
  proc: JobProcess;
  job?: RunningJob;
  pending: Map<string, (response: { data?: unknown; error?: unknown }) => void>;
}

interface RunningJob {
  ctx: JobContext;
  room: Room;
  close(reason: string): void;
}

const slots = new Map<number, Slot>();
const slotOfContext = new WeakMap<JobContext, Slot>();
let loggerReady = false;
let sessionEndTimeout = 0;
let retiring = false;

function toSlot(slot: Slot, message: AgentsMessage): void {
  send({ slot: slot.id, message });
}

function slotEnded(slot: Slot): void {
  if (!slots.delete(slot.id)) return;
  closeSlotReporter(slot.proc);
  if (retiring && slots.size === 0) void exit();
}

async function exit(): Promise<void> {
  try {
    await dispose();
  } finally {
    process.exit(0);
  }
}

function taint(reason: string): void {
  send({ tainted: reason });
}

/** The slot's inference requests go to the worker's inference process through the worker, as a job process's do. */
function inferenceClient(slot: Slot) {
  let next = 0;
  return {
    doInference: (method: string, data: unknown) =>
      new Promise<unknown>((resolve, reject) => {
        const requestId = `inference_${slot.id}_${next++}`;
        slot.pending.set(requestId, (response) => (response.error === undefined ? resolve(response.data) : reject(new Error(`inference of ${method} failed`))));
        toSlot(slot, { case: "inferenceRequest", value: { requestId, method, data } });
      }),
  };
}

function startJob(slot: Slot, info: RunningJobInfo): void {
  const logger = log().child({ jobID: info.job.id, slot: slot.id });
  const room = new Room();
  let shuttingDown = false;
  let resolveClose!: (reason: string) => void;
  const closed = new Promise<string>((resolve) => (resolveClose = resolve));
  const close = (reason: string) => {
    shuttingDown = true;
    resolveClose(reason);
  };
  room.on(RoomEvent.Disconnected, () => {
    if (!shuttingDown) close("room disconnected");
  });
  const ctx = new JobContext(slot.proc, info, room, () => undefined, close, inferenceClient(slot));
  slotOfContext.set(ctx, slot);
  slot.job = { ctx, room, close };

  void (async () => {
    const entrypoint = runWithJobContextAsync(ctx, () => Promise.resolve(agent.entry(ctx)));
    entrypoint.catch(() => close("job crashed"));
    const reason = await closed;
    toSlot(slot, { case: "exiting", value: { reason } });
    await lifecycle.waitForEntrypointShutdown(entrypoint, logger);
    await runWithJobContextAsync(ctx, async () => {
      try {
        await lifecycle.finalizeSession(ctx, agent.onSessionEnd, sessionEndTimeout, logger);
      } finally {
        toSlot(slot, { case: "shuttingDown" });
      }
      await room.disconnect().catch((error: unknown) => logger.error({ error }, "error while disconnecting room"));
      await lifecycle.runShutdownCallbacks(ctx.shutdownCallbacks, logger);
    });
  })()
    .catch((error: unknown) => groupLog.error("call_group.job_failed", { slot: slot.id, job_id: info.job.id, error }))
    .finally(() => {
      toSlot(slot, { case: "done" });
      slotEnded(slot);
    });
}

async function initialize(slot: Slot, value: { loggerOptions: Parameters<typeof initializeLogger>[0]; sessionEndTimeout?: number }): Promise<void> {
  if (!loggerReady) {
    initializeLogger(value.loggerOptions);
    loggerReady = true;
  }
  sessionEndTimeout = lifecycle.validateSessionEndTimeout(value.sessionEndTimeout ?? Number.NaN);
  // Per slot, so each reports itself idle; the process-wide part of it runs once (prewarm.ts).
  await agent.prewarm?.(slot.proc);
  toSlot(slot, { case: "initializeResponse" });
}

function onMessage(slot: Slot, message: AgentsMessage): void {
  const value = message.value as Record<string, unknown> | undefined;
  switch (message.case) {
    case "initializeRequest":
      void initialize(slot, value as never).catch((error: unknown) => {
        groupLog.error("call_group.initialize_failed", { slot: slot.id, error });
        slotEnded(slot);
      });
      break;
    case "pingRequest":
      toSlot(slot, { case: "pongResponse", value: { lastTimestamp: value?.timestamp, timestamp: Date.now() } });
      break;
    case "startJobRequest":
      if (slot.job) {
        groupLog.error("call_group.slot_busy", { slot: slot.id });
        break;
      }
      startJob(slot, (value as { runningJob: RunningJobInfo }).runningJob);
      break;
    case "shutdownRequest":
      toSlot(slot, { case: "shutdownRequestAck" });
      if (slot.job) {
        slot.job.close((value?.reason as string | undefined) ?? "shutdown request");
      } else {
        toSlot(slot, { case: "shuttingDown" });
        toSlot(slot, { case: "done" });
        slotEnded(slot);
      }
      break;
    case "inferenceResponse": {
      const response = value as { requestId: string; data?: unknown; error?: unknown };
      const resolve = slot.pending.get(response.requestId);
      slot.pending.delete(response.requestId);
      resolve?.(response);
      break;
    }
    default:
      break;
  }
}

process.on("message", (raw) => {
  const message = parseToGroup(raw);
  if (message === undefined) return;
  if ("retire" in message) {
    retiring = true;
    if (slots.size === 0) void exit();
    return;
  }
  let slot = slots.get(message.slot);
  if ("abandon" in message) {
    if (!slot) return;
    groupLog.warn("call_group.slot_abandoned", { slot: slot.id, job_id: slot.job?.ctx.job.id });
    slotEnded(slot);
    void slot.job?.room.disconnect().catch(() => undefined);
    return;
  }
  if (!slot) {
    if (message.message.case !== "initializeRequest") return;
    slot = { id: message.slot, proc: new JobProcess(), pending: new Map() };
    slots.set(slot.id, slot);
  }
  onMessage(slot, message.message);
});

// An error thrown by one call's code ends that call; its context says whose it is. The process
// goes on for the other calls but takes no new one: it may not be sound any more.
process.on("uncaughtException", (error) => {
  const ctx = getJobContext(false);
  const slot = ctx === undefined ? undefined : slotOfContext.get(ctx);
  groupLog.error("call_group.uncaught_exception", { error, slot: slot?.id, job_id: slot?.job?.ctx.job.id, calls_in_process: slots.size });
  taint(slot ? `an uncaught exception in job ${slot.job?.ctx.job.id}` : "an uncaught exception outside any job");
  // Its agent leaves the call at once, as it would if its own process had died.
  slot?.job?.close("job crashed");
  void slot?.job?.room.disconnect().catch(() => undefined);
});
process.on("unhandledRejection", (reason) => {
  groupLog.warn("call_group.unhandled_rejection", { error: reason });
});
// LiveKit Agents' signals are the worker's business: it drains and tells each slot to shut down.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => undefined);
// Orphaned (the worker is gone): the calls cannot be supervised or reported.
process.on("disconnect", () => void exit());
