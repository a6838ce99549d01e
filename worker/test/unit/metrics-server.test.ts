import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import { type AddressInfo, createConnection } from "node:net";
import { after, describe, it } from "node:test";
import { localUrl, startMetricsServer } from "../../src/metrics-server.ts";

/** A stand-in for LiveKit Agents' health endpoint answering `status`. */
async function healthEndpoint(status: { code: number }) {
  const server = createServer((_, response) => response.writeHead(status.code).end());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

async function scrape(port: number): Promise<Map<string, number>> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** A fake job process: one connection to the report socket. */
async function jobProcess(socketPath: string) {
  const socket = createConnection(socketPath);
  await once(socket, "connect");
  return {
    send: (...lines: object[]) => socket.write(lines.map((line) => `${JSON.stringify(line)}\n`).join("")),
    exit: async () => {
      socket.destroy();
      await once(socket, "close");
    },
  };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`never: ${what}`);
}

describe("metrics server", () => {
  const status = { code: 503 };
  const closers: (() => void)[] = [];
  after(() => closers.forEach((close) => close()));

  it("serves the job processes' reports as Prometheus metrics, and drops a process whose connection closed", async () => {
    const health = await healthEndpoint(status);
    const metrics = await startMetricsServer({ host: "127.0.0.1", port: 0, healthUrl: health.url });
    closers.push(() => health.server.close(), () => metrics.http.close(), () => metrics.reports.close());
    const port = (metrics.http.address() as AddressInfo).port;

    const idle = await jobProcess(metrics.socketPath);
    const busy = await jobProcess(metrics.socketPath);
    idle.send({ event: "idle" });
    // A report split across writes, and a line that is no report, are both handled.
    busy.send({ event: "idle" }, { event: "dispatched", direction: "outbound" });
    busy.send({ event: "failed", direction: "outbound", outcome: "busy" });
    idle.send({ nonsense: true });

    await until("both processes reported", async () => {
      const s = await scrape(port);
      return s.get('agent_studio_calls_failed_total{direction="outbound",outcome="busy"}') === 1 && s.get("agent_studio_job_processes_idle") === 1;
    });
    let samples = await scrape(port);
    assert.equal(samples.get('agent_studio_calls_dispatched_total{direction="outbound"}'), 1);
    assert.equal(samples.get('agent_studio_calls_in_progress{direction="outbound"}'), 1);
    assert.equal(samples.get("agent_studio_worker_registered"), 0);

    status.code = 200;
    await busy.exit();
    await until("the exited process no longer counts", async () => (await scrape(port)).get('agent_studio_calls_in_progress{direction="outbound"}') === 0);
    samples = await scrape(port);
    assert.equal(samples.get('agent_studio_calls_failed_total{direction="outbound",outcome="busy"}'), 1, "counters outlive the process");
    assert.equal(samples.get("agent_studio_job_processes_idle"), 1);
    assert.equal(samples.get("agent_studio_worker_registered"), 1);
    await idle.exit();

    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404);
  });

  it("rejects when its port is taken", async () => {
    const health = await healthEndpoint(status);
    closers.push(() => health.server.close());
    const takenPort = Number(new URL(health.url).port);
    await assert.rejects(startMetricsServer({ host: "127.0.0.1", port: takenPort, healthUrl: health.url }), /EADDRINUSE/);
  });
});

describe("localUrl", () => {
  it("reaches a wildcard address on loopback", () => {
    assert.equal(localUrl("0.0.0.0", 8081), "http://127.0.0.1:8081/");
    assert.equal(localUrl("::", 8081), "http://[::1]:8081/");
    assert.equal(localUrl("127.0.0.2", 8082, "/metrics"), "http://127.0.0.2:8082/metrics");
  });
});
