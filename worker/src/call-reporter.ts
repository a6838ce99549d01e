import { type Socket, createConnection } from "node:net";
import { type CallReport, REPORT_SOCKET_ENV } from "./call-metrics.ts";

/** Sends this job process's reports to the worker's main process, which counts them. */
export interface CallReporter {
  report(report: CallReport): void;
}

let reporter: CallReporter | undefined;

/**
 * This job process's reporter, connected on first use to the socket the main process named in
 * its environment. Reporting never fails a call: without the socket (the variable unset, the main
 * process gone) reports are dropped, and the metrics show the process as neither idle nor busy.
 */
export function callReporter(env: Record<string, string | undefined> = process.env): CallReporter {
  if (reporter) return reporter;
  const path = env[REPORT_SOCKET_ENV];
  let socket: Socket | undefined;
  if (path) {
    socket = createConnection(path);
    socket.on("error", () => (socket = undefined));
    // A job process must exit when its job ends, whatever this connection does.
    socket.unref();
  }
  reporter = { report: (line) => void socket?.write(`${JSON.stringify(line)}\n`) };
  return reporter;
}
