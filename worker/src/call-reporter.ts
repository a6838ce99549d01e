import type { JobProcess } from "@livekit/agents";
import { type Socket, createConnection } from "node:net";
import { type CallReport, REPORT_SOCKET_ENV } from "./call-metrics.ts";

/** Sends one job slot's reports to the worker's main process, which counts them. */
export interface CallReporter {
  report(report: CallReport): void;
  /** Ends the slot's connection: the main process stops counting it as idle or busy. */
  close(): void;
}

const REPORTER_KEY = "agentStudioCallReporter";

/**
 * A reporter connected to the socket the main process named in its environment: one connection
 * per job slot, whose last report is the slot's state. Reporting never fails a call: without the
 * socket (the variable unset, the main process gone) reports are dropped.
 */
export function openCallReporter(env: Record<string, string | undefined> = process.env): CallReporter {
  const path = env[REPORT_SOCKET_ENV];
  let socket: Socket | undefined;
  if (path) {
    socket = createConnection(path);
    socket.on("error", () => (socket = undefined));
    // A call group process must exit when it retires, whatever this connection does.
    socket.unref();
  }
  return {
    report: (line) => void socket?.write(`${JSON.stringify(line)}\n`),
    close: () => socket?.end(),
  };
}

/** The reporter of the job slot `proc` stands for, opened on first use. */
export function slotReporter(proc: JobProcess, env: Record<string, string | undefined> = process.env): CallReporter {
  const data = proc.userData as Record<string, unknown>;
  data[REPORTER_KEY] ??= openCallReporter(env);
  return data[REPORTER_KEY] as CallReporter;
}

/** Closes the slot's reporter, if it has one. */
export function closeSlotReporter(proc: JobProcess): void {
  const reporter = (proc.userData as Record<string, unknown>)[REPORTER_KEY] as CallReporter | undefined;
  reporter?.close();
}
