import { z } from "zod";
import type { MetricFamily } from "./prometheus-text.ts";
import type { CallOutcomeKind } from "./sip-outcome.ts";

/**
 * Environment variable naming the socket job slots report to. The main process sets it before it
 * forks the call group processes (they inherit its environment); it is not for users to set.
 */
export const REPORT_SOCKET_ENV = "AGENT_STUDIO_REPORT_SOCKET";

/** Which way a call goes; a job whose metadata is invalid was meant to be outbound. */
export type CallDirection = "outbound" | "inbound";
export const CALL_DIRECTIONS: readonly CallDirection[] = ["outbound", "inbound"];

/**
 * Why a dispatched call was not answered, as the metrics count it: `refused` is the carrier or
 * livekit-sip refusing the call (the worker's `rejected`), `error` anything the stack got wrong
 * (the worker's `failed`, an invalid job, an unexpected error), `abandoned` an inbound caller who
 * hung up before the agent answered.
 */
export type FailureOutcome = "busy" | "no_answer" | "refused" | "error" | "abandoned";
export const FAILURE_OUTCOMES: readonly FailureOutcome[] = ["busy", "no_answer", "refused", "error", "abandoned"];

const FAILURE_BY_OUTCOME: Record<Exclude<CallOutcomeKind, "answered">, FailureOutcome> = {
  busy: "busy",
  no_answer: "no_answer",
  rejected: "refused",
  failed: "error",
  abandoned: "abandoned",
};

/** Upper bounds (seconds) of the call-setup histogram: from a fast answer to a phone left ringing. */
export const SETUP_SECONDS_BUCKETS: readonly number[] = [0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60];

/** The worker's metric names; alerts and the dashboard name the same. */
export const WORKER_METRICS = {
  dispatched: "agent_studio_calls_dispatched_total",
  answered: "agent_studio_calls_answered_total",
  failed: "agent_studio_calls_failed_total",
  setupSeconds: "agent_studio_call_setup_seconds",
  inProgress: "agent_studio_calls_in_progress",
  idleProcesses: "agent_studio_job_processes_idle",
  registered: "agent_studio_worker_registered",
} as const;

const direction = z.enum(["outbound", "inbound"]);

/**
 * One line a job slot (one call's place in a call group process) sends the worker's main process:
 * it is idle (prewarmed, waiting for a call), a call was dispatched to it, the call was answered
 * (with its setup time) or not (with why), or its job ended.
 */
export const callReportSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("idle") }),
  z.object({ event: z.literal("dispatched"), direction }),
  z.object({ event: z.literal("answered"), direction, setup_seconds: z.number().nonnegative() }),
  z.object({ event: z.literal("failed"), direction, outcome: z.enum(["busy", "no_answer", "refused", "error", "abandoned"]) }),
  z.object({ event: z.literal("ended") }),
]);
export type CallReport = z.infer<typeof callReportSchema>;

/** Parses one reported line; undefined for anything that is not a report (never throws). */
export function parseCallReport(line: string): CallReport | undefined {
  try {
    const parsed = callReportSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The report of a call's outcome: answered with its setup time, or failed with why. */
export function outcomeReport(callDirection: CallDirection, outcome: CallOutcomeKind, setupSeconds: number): CallReport {
  return outcome === "answered"
    ? { event: "answered", direction: callDirection, setup_seconds: setupSeconds }
    : { event: "failed", direction: callDirection, outcome: FAILURE_BY_OUTCOME[outcome] };
}

/** What a job slot is doing, as its reports tell. */
export type JobProcessState = { kind: "starting" } | { kind: "idle" } | { kind: "busy"; direction: CallDirection } | { kind: "done" };

/** The state a report moves a job slot to; counters are {@link CallCounters}' business. */
export function nextProcessState(state: JobProcessState, report: CallReport): JobProcessState {
  switch (report.event) {
    case "idle":
      return { kind: "idle" };
    case "dispatched":
      return { kind: "busy", direction: report.direction };
    case "ended":
      return { kind: "done" };
    default:
      return state;
  }
}

const key = (...parts: string[]) => parts.join("/");

/** The worker's call counters and setup-time histogram, summed over every job slot's reports. */
export class CallCounters {
  readonly #dispatched = new Map<string, number>();
  readonly #answered = new Map<string, number>();
  readonly #failed = new Map<string, number>();
  readonly #setup = new Map<CallDirection, { bucketCounts: number[]; sum: number; count: number }>();

  constructor() {
    // Every series exists from the start at 0, so a rate over the first failure is not lost.
    for (const d of CALL_DIRECTIONS) {
      this.#dispatched.set(d, 0);
      this.#answered.set(d, 0);
      for (const outcome of FAILURE_OUTCOMES) this.#failed.set(key(d, outcome), 0);
      this.#setup.set(d, { bucketCounts: new Array<number>(SETUP_SECONDS_BUCKETS.length + 1).fill(0), sum: 0, count: 0 });
    }
  }

  /** Counts one report. */
  apply(report: CallReport): void {
    const bump = (map: Map<string, number>, k: string) => map.set(k, (map.get(k) ?? 0) + 1);
    switch (report.event) {
      case "dispatched":
        bump(this.#dispatched, report.direction);
        break;
      case "answered": {
        bump(this.#answered, report.direction);
        const setup = this.#setup.get(report.direction)!;
        const index = SETUP_SECONDS_BUCKETS.findIndex((bound) => report.setup_seconds <= bound);
        setup.bucketCounts[index === -1 ? SETUP_SECONDS_BUCKETS.length : index]! += 1;
        setup.sum += report.setup_seconds;
        setup.count += 1;
        break;
      }
      case "failed":
        bump(this.#failed, key(report.direction, report.outcome));
        break;
      default:
        break;
    }
  }

  /**
   * Every metric family of the worker: the counters, the histogram, and the gauges computed from
   * the job slots' current states and whether the worker is registered with LiveKit.
   */
  families(processes: readonly JobProcessState[], registered: boolean): MetricFamily[] {
    const inProgress = (d: CallDirection) => processes.filter((p) => p.kind === "busy" && p.direction === d).length;
    return [
      {
        type: "counter",
        name: WORKER_METRICS.dispatched,
        help: "Calls dispatched to this worker (jobs), by direction.",
        samples: CALL_DIRECTIONS.map((d) => ({ labels: { direction: d }, value: this.#dispatched.get(d)! })),
      },
      {
        type: "counter",
        name: WORKER_METRICS.answered,
        help: "Calls answered (SIP 200), by direction.",
        samples: CALL_DIRECTIONS.map((d) => ({ labels: { direction: d }, value: this.#answered.get(d)! })),
      },
      {
        type: "counter",
        name: WORKER_METRICS.failed,
        help: "Calls not answered, by direction and outcome (busy, no_answer, refused, error, abandoned).",
        samples: CALL_DIRECTIONS.flatMap((d) =>
          FAILURE_OUTCOMES.map((outcome) => ({ labels: { direction: d, outcome }, value: this.#failed.get(key(d, outcome))! })),
        ),
      },
      {
        type: "histogram",
        name: WORKER_METRICS.setupSeconds,
        help: "Seconds to answer an answered call: outbound from dialling to SIP 200, inbound from the caller joining the room to livekit-sip's answer.",
        buckets: SETUP_SECONDS_BUCKETS,
        series: CALL_DIRECTIONS.map((d) => ({ labels: { direction: d }, ...this.#setup.get(d)! })),
      },
      {
        type: "gauge",
        name: WORKER_METRICS.inProgress,
        help: "Calls whose job is running (dialling, ringing or answered), by direction.",
        samples: CALL_DIRECTIONS.map((d) => ({ labels: { direction: d }, value: inProgress(d) })),
      },
      {
        type: "gauge",
        name: WORKER_METRICS.idleProcesses,
        help: "Job slots prewarmed and waiting for a call (in call group processes; the name is from when each call had a process).",
        samples: [{ labels: {}, value: processes.filter((p) => p.kind === "idle").length }],
      },
      {
        type: "gauge",
        name: WORKER_METRICS.registered,
        help: "1 while the worker is connected and registered with livekit-server, else 0.",
        samples: [{ labels: {}, value: registered ? 1 : 0 }],
      },
    ];
  }
}
