import { mkdtempSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { type Server as NetServer, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CallCounters, type JobProcessState, nextProcessState, parseCallReport } from "./call-metrics.ts";
import { PROMETHEUS_TEXT_CONTENT_TYPE, renderPrometheusText } from "./prometheus-text.ts";

// The health endpoint answers at once; a slow answer counts as not registered.
const HEALTH_TIMEOUT_MS = 2_000;

/** The URL this machine reaches a server listening on `host` at: a wildcard address is reached on loopback. */
export function localUrl(host: string, port: number, path = "/"): string {
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}${path}`;
}

/** Where the worker serves its metrics and where it asks whether it is registered. */
export interface MetricsServerOptions {
  host: string;
  port: number;
  /** LiveKit Agents' health endpoint: 200 while connected and registered. */
  healthUrl: string;
}

/** The running metrics endpoint and the socket job slots report to. */
export interface MetricsServer {
  http: HttpServer;
  reports: NetServer;
  socketPath: string;
}

/**
 * Starts the socket job slots report to (in a fresh directory only this user can enter) and the
 * HTTP endpoint serving `GET /metrics` in the Prometheus text format. Each job slot holds one
 * connection: its last report is its state (idle, on a call, done), so a slot that ends, or whose
 * call group process dies, stops counting as idle or busy the moment its connection closes. Resolves once both listen;
 * rejects if the port cannot be bound.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const counters = new CallCounters();
  const processes = new Set<{ state: JobProcessState }>();
  const socketPath = join(mkdtempSync(join(tmpdir(), "agent-studio-worker-")), "reports.sock");

  const reports = createNetServer((socket) => {
    const process = { state: { kind: "starting" } as JobProcessState };
    processes.add(process);
    let pending = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const report = parseCallReport(line);
        if (!report) continue;
        counters.apply(report);
        process.state = nextProcessState(process.state, report);
      }
    });
    socket.on("close", () => processes.delete(process));
    socket.on("error", () => processes.delete(process));
  });

  const registered = () =>
    fetch(options.healthUrl, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) }).then(
      (response) => response.body?.cancel().then(() => response.ok) ?? response.ok,
      () => false,
    );

  const http = createHttpServer((request, response) => {
    if (request.method !== "GET" || request.url !== "/metrics") {
      response.writeHead(404).end("not found: the worker serves GET /metrics\n");
      return;
    }
    void registered().then((isRegistered) => {
      const states = [...processes].map((p) => p.state);
      response.writeHead(200, { "Content-Type": PROMETHEUS_TEXT_CONTENT_TYPE });
      response.end(renderPrometheusText(counters.families(states, isRegistered)));
    });
  });

  const listening = [listen(reports, (server, done) => server.listen(socketPath, done)), listen(http, (server, done) => server.listen(options.port, options.host, done))];
  try {
    await Promise.all(listening);
  } catch (error) {
    // The one that did bind would otherwise keep the process alive after the worker gave up.
    await Promise.allSettled(listening);
    for (const server of [reports, http]) if (server.listening) server.close();
    throw error;
  }
  return { http, reports, socketPath };
}

function listen<T extends NetServer | HttpServer>(server: T, start: (server: T, done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    start(server, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
