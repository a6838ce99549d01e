/**
 * `npm run doctor` against real servers on loopback: livekit-server, Redis and livekit-sip from
 * the harness (the project's own rendered configs), a TLS endpoint serving a certificate made
 * here with openssl, and a DNS server answering the domain's A record. What this cannot exercise
 * locally: the real Let's Encrypt chain (the test trusts its own CA with --tls-ca), the GCE
 * firewall (closed ports here are refused, in production they time out), and Twilio itself: the
 * origination check asks the OpenAPI-validating fake Twilio, holding a trunk the project's own
 * Twilio providers made. The inbound lines look at an inbound trunk and dispatch rules the
 * project's providers made, and probe for the project's own worker, registered with livekit-server.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:tls";
import { AgentDispatchClient, RoomServiceClient } from "livekit-server-sdk";
import { dispatchRuleProvider } from "../../providers/livekit/dispatch-rule";
import { inboundTrunkProvider } from "../../providers/livekit/inbound-trunk";
import { outboundTrunkProvider } from "../../providers/livekit/outbound-trunk";
import { originationUrlProvider } from "../../providers/twilio";
import { configureLivekitProviders } from "../harness/livekit-providers";
import { freePort } from "../harness/ports";
import { FakeTwilio } from "../harness/twilio-fake";
import { startVoiceStack, type VoiceStack } from "../harness/voice-stack";
import { type AgentWorker, buildWorkerIfStale, startWorker } from "../harness/worker";
import { type DnsResponder, startDnsResponder } from "../utils/dns-responder";
import { type FakePulumi, installFakePulumi } from "../utils/fake-pulumi";
import { repoRoot } from "../utils/offline-program";
import { applyGraph, configureAll } from "./twilio/trunk-graph";

jest.setTimeout(120_000);

const domain = "voice.doctor.test";
const trunkDomain = "agent-studio-doctor.pstn.twilio.com";
/** The stack's first number, reaching the worker's agent; the second is routed to an agent no worker registers. */
const firstNumber = "+15005550006";
const salesNumber = "+15005550007";
const agentName = "doctor-agent";

/** A self-signed certificate for `name`, valid for `days`, made with Debian's openssl. */
function certificate(dir: string, name: string, days: number): { cert: string; key: string; certFile: string } {
  const certFile = join(dir, `${name}-${days}.crt`);
  const keyFile = join(dir, `${name}-${days}.key`);
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", keyFile, "-out", certFile, "-days", String(days), "-subj", `/CN=${name}`, "-addext", `subjectAltName=DNS:${name}`,
  ], { stdio: "ignore" });
  return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8"), certFile };
}

async function tlsServer(pair: { cert: string; key: string }): Promise<{ server: Server; port: number }> {
  const server = createServer(pair, (socket) => socket.end());
  const port = await freePort("tcp");
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, port };
}

/** Runs `npm run doctor -- <args>` (tsx, as the npm script does) and collects its exit code and output. */
function doctor(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "scripts", "doctor.ts"), ...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** The doctor's table of a healthy environment: every check passes. */
const allPass = Object.fromEntries(
  ["dns", "tls", "livekit-api", "sip-options", "outbound-trunk", "inbound-trunk", "inbound-dispatch", "inbound-worker", "twilio-origination", "closed-ports"].map(
    (check) => [check, "PASS"],
  ),
);

/** The status column of each check in the doctor's table (`node-<i> <check>` with several nodes). */
function statuses(output: string): Record<string, string> {
  return Object.fromEntries([...output.matchAll(/^((?:node-\d+ )?[a-z-]+)\s+(PASS|FAIL|SKIP)\s/gm)].map((m) => [m[1], m[2]]));
}

describe("npm run doctor against the harness's real servers", () => {
  let stack: VoiceStack;
  let dns: DnsResponder;
  let certDir: string;
  let valid: { server: Server; port: number; certFile: string };
  let expiring: { server: Server; port: number; certFile: string };
  let fake: FakePulumi;
  let twilio: FakeTwilio;
  let closedPorts: number[];
  let worker: AgentWorker;
  let salesRuleId: string;
  let twilioTrunkSid: string;

  beforeAll(async () => {
    buildWorkerIfStale();
    stack = await startVoiceStack();
    // The Twilio trunk as `pulumi up` makes it, origination at the host's IP.
    twilio = await FakeTwilio.start();
    await configureAll(twilio);
    twilio.state.ownPhoneNumber("+15005550006");
    const graph = await applyGraph({
      domainName: trunkDomain,
      username: "livekit-doctor-a",
      password: "Doctor-Passw0rd-1234",
      originationHost: "127.0.0.1",
      phoneNumber: "+15005550006",
      cidrs: ["127.0.0.1/32"],
    });
    twilioTrunkSid = graph.state.trunk.outputs.sid as string;
    const { url, apiKey, apiSecret } = stack.livekit;
    // The trunk is made by the project's own provider, as `pulumi up` makes it.
    await configureLivekitProviders(stack.livekit);
    const outbound = await outboundTrunkProvider.create({
      url,
      name: "doctor-outbound",
      address: trunkDomain,
      numbers: ["+15005550006"],
      authUsername: "livekit-doctor-a",
      authPassword: "Doctor-Passw0rd-1234",
    });
    // Inbound as LiveKitSipTrunks makes it: the carrier's range is loopback here; the first number
    // reaches the every-number rule's agent, the second has a rule of its own (agentsByNumber).
    const inbound = await inboundTrunkProvider.create({ url, name: "doctor-inbound", numbers: [firstNumber, salesNumber], allowedAddresses: ["127.0.0.1/32"] });
    const rule = { url, trunkIds: [inbound.id], roomPrefix: "call-" };
    await dispatchRuleProvider.create({ ...rule, name: "doctor-inbound-calls", agentName });
    salesRuleId = (await dispatchRuleProvider.create({ ...rule, name: `doctor-inbound-calls-${salesNumber}`, agentName: "sales-agent", numbers: [salesNumber] })).id;
    worker = await startWorker({ livekit: stack.livekit, sipOutboundTrunkId: outbound.id, agentName, logDir: stack.logDir });
    dns = await startDnsResponder({ [domain]: ["127.0.0.1"] });
    certDir = mkdtempSync(join(tmpdir(), "doctor-certs-"));
    const validPair = certificate(certDir, domain, 60);
    valid = { ...(await tlsServer(validPair)), certFile: validPair.certFile };
    const expiringPair = certificate(certDir, domain, 3);
    expiring = { ...(await tlsServer(expiringPair)), certFile: expiringPair.certFile };
    closedPorts = [await freePort("tcp"), await freePort("tcp")];
    // `--stack local` reads outputs and config through the Pulumi CLI seam; a fake CLI answers
    // with this local environment's values, as a real stack's would.
    const outputs = { staticIp: "127.0.0.1", livekitApiUrl: url, sipUri: `sip:127.0.0.1:${stack.sip.sipPort}` };
    fake = installFakePulumi({
      "stack output --json": { stdout: JSON.stringify(outputs) },
      // The same environment as a two-node stack's: node 0 is this host, node 1 is 127.0.0.2, where
      // nothing runs, and the load balancer is the TLS endpoint the domain resolves to.
      "stack output --json --stack two-nodes": {
        stdout: JSON.stringify({ ...outputs, nodes: { count: 2, staticIps: ["127.0.0.1", "127.0.0.2"], loadBalancerIp: "127.0.0.1" } }),
      },
      "config --json --show-secrets": {
        stdout: JSON.stringify({
          "agent-studio-voice:domain": { value: domain, secret: false },
          // This local stack's livekit-sip speaks clear SIP; secure trunking's checks run in test/e2e/secure-trunking.test.ts.
          "agent-studio-voice:secureTrunking": { value: "false", secret: false },
          "agent-studio-voice:livekitApiKey": { value: apiKey, secret: false },
          "agent-studio-voice:livekitApiSecret": { value: apiSecret, secret: true },
          "agent-studio-voice:twilioTrunkDomain": { value: trunkDomain, secret: false },
          "agent-studio-voice:twilioAccountSid": { value: twilio.credentials.accountSid, secret: false },
          "agent-studio-voice:twilioAuthToken": { value: twilio.credentials.authToken, secret: true },
          "agent-studio-voice:phoneNumbers": { value: JSON.stringify([firstNumber, salesNumber]), objectValue: [firstNumber, salesNumber], secret: false },
          "agent-studio-voice:carrierSignalingCidrs": { value: '["127.0.0.1/32"]', objectValue: ["127.0.0.1/32"], secret: false },
        }),
      },
    });
  }, 180_000);

  afterAll(async () => {
    fake?.remove();
    await worker?.process.stop();
    await Promise.all([dns?.stop(), new Promise((r) => valid?.server.close(r)), new Promise((r) => expiring?.server.close(r))]);
    if (certDir) rmSync(certDir, { recursive: true, force: true });
    await stack?.stop();
    await twilio?.stop();
    // Every request the doctor sent to Twilio matched Twilio's OpenAPI documents.
    twilio?.assertNoViolations();
  });

  /** The doctor's flags pointing the checks that need it at loopback. */
  const local = (tls = valid) => [
    "--dns-server", dns.address,
    "--tls-port", String(tls.port), "--tls-ca", tls.certFile,
    "--closed-ports", closedPorts.join(","),
    "--twilio-api-base-url", twilio.baseUrl,
  ];

  it("passes every check of a healthy environment read from the stack, and exits 0", () =>
    stack.withLogs(async () => {
      const { code, output } = await doctor(["--stack", "local", ...local()], fake.env);
      expect(statuses(output)).toEqual({ ...allPass, "sip-tls": "SKIP" });
      expect(output).toMatch(/inbound-trunk\s+PASS\s+ST_\w+ "doctor-inbound" takes calls to \+15005550006 from the carrier's 1 signaling range\n/);
      expect(output).toMatch(/inbound-dispatch\s+PASS\s+SDR_\w+ "doctor-inbound-calls" gives each call to \+15005550006 a room with agent doctor-agent\n/);
      // The worker may end the probe's job before the doctor reads it back: then the room is gone.
      expect(output).toMatch(/inbound-worker\s+PASS\s+a worker registered as doctor-agent (accepted a job \(worker \w+\)|took a job \(and closed its probe room\))\n/);
      expect(output).toMatch(/twilio-origination\s+PASS\s+trunk TK\w+ sends calls to sip:127\.0\.0\.1:5060/);
      expect(output).toMatch(new RegExp(`sip-options\\s+PASS\\s+127\\.0\\.0\\.1:${stack.sip.sipPort}/udp answered SIP OPTIONS with 200 OK`));
      expect(output).toMatch(new RegExp(`outbound-trunk\\s+PASS\\s+ST_\\w+ "doctor-outbound" → ${trunkDomain.replace(/\./g, "\\.")}, authenticating as livekit-doctor-a`));
      expect(output).toMatch(/All 10 checks passed \(1 skipped\)\./);
      // The probe is no call: the worker ended its job at once, without waiting in the room (a
      // job that waits holds a call slot; several doctor runs in a row once filled the worker).
      await worker.waitForLine("the doctor's probe job", (line) => line.event === "job.probe" && line.source === "doctor");
      const waited = worker.lines().filter((line) => line.event === "call.invalid_job" || String(line.msg).startsWith("entrypoint did not exit in time"));
      expect(waited).toEqual([]);
      const metrics = await (await fetch(worker.metricsUrl)).text();
      expect(metrics).not.toMatch(/^agent_studio_calls_dispatched_total\{[^}]*\} [1-9]/m);
      expect(output).not.toContain(stack.livekit.apiSecret);
      expect(output).not.toContain(twilio.credentials.authToken);
      expect(code).toBe(0);
    }));

  it("works with explicit values instead of a stack, the secret from the environment", () =>
    stack.withLogs(async () => {
      const { url, apiKey, apiSecret } = stack.livekit;
      const args = ["--domain", domain, "--ip", "127.0.0.1", "--livekit-url", url, "--api-key", apiKey, "--sip-port", String(stack.sip.sipPort), "--trunk-domain", trunkDomain, "--secure-trunking", "false"];
      args.push("--number", firstNumber, "--carrier-cidrs", "127.0.0.1/32");
      const twilioArgs = ["--twilio-account-sid", twilio.credentials.accountSid];
      const { code, output } = await doctor([...args, ...twilioArgs, ...local()], {
        ...process.env,
        LIVEKIT_API_SECRET: apiSecret,
        TWILIO_AUTH_TOKEN: twilio.credentials.authToken,
      });
      // sip-tls does not apply to a stack without secure trunking.
      expect(Object.entries(statuses(output)).filter(([, s]) => s !== "PASS")).toEqual([["sip-tls", "SKIP"]]);
      expect(code).toBe(0);
    }));

  it("fails the Twilio line when the trunk sends calls to another address than the host's", () =>
    stack.withLogs(async () => {
      const { url, apiKey, apiSecret } = stack.livekit;
      const args = ["--domain", domain, "--ip", "127.0.0.2", "--livekit-url", url, "--api-key", apiKey, "--sip-port", String(stack.sip.sipPort), "--trunk-domain", trunkDomain, "--secure-trunking", "false"];
      const { code, output } = await doctor([...args, "--twilio-account-sid", twilio.credentials.accountSid, ...local(), "--skip", "dns,sip-options"], {
        ...process.env,
        LIVEKIT_API_SECRET: apiSecret,
        TWILIO_AUTH_TOKEN: twilio.credentials.authToken,
      });
      expect(output).toMatch(/twilio-origination\s+FAIL\s+trunk TK\w+ has no origination URL to 127\.0\.0\.2 \(it has sip:127\.0\.0\.1:5060\)/);
      expect(output).toMatch(/twilio-origination: `pulumi up` sets the trunk's origination URL to the stack's sipUri output/);
      expect(code).toBe(1);
    }));

  it("with two nodes, checks each node's SIP, origination URL and ports and names the node on its lines", () =>
    stack.withLogs(async () => {
      // A roll that stopped at node 1 leaves its origination URL disabled.
      const node1 = await originationUrlProvider.create({
        trunkSid: twilioTrunkSid,
        friendlyName: "livekit-sip 1",
        sipUrl: "sip:127.0.0.2:5060",
        priority: 10,
        weight: 10,
        enabled: false,
      });
      try {
        const { code, output } = await doctor(["--stack", "two-nodes", ...local()], fake.env);
        // The stack's own lines pass once; each per-host line is there once per node, and not unnamed.
        const stackLines = ["dns", "tls", "livekit-api", "outbound-trunk", "inbound-trunk", "inbound-dispatch", "inbound-worker"];
        expect(statuses(output)).toEqual({
          ...Object.fromEntries(stackLines.map((check) => [check, "PASS"])),
          "node-0 sip-tls": "SKIP",
          "node-1 sip-tls": "SKIP",
          "node-0 sip-options": "PASS",
          "node-1 sip-options": "FAIL",
          "node-0 twilio-origination": "PASS",
          "node-1 twilio-origination": "FAIL",
          "node-0 closed-ports": "PASS",
          "node-1 closed-ports": "PASS",
        });
        expect(output).toContain('Doctor for stack "two-nodes": voice.doctor.test (load balancer 127.0.0.1; nodes 0: 127.0.0.1, 1: 127.0.0.2)');
        expect(output).toMatch(new RegExp(`node-1 sip-options\\s+FAIL\\s+nothing listens on 127\\.0\\.0\\.2:${stack.sip.sipPort}/udp`));
        expect(output).toMatch(/node-1 twilio-origination\s+FAIL\s+trunk TK\w+ has sip:127\.0\.0\.2:5060 but it is disabled/);
        expect(output).toMatch(/\n {2}node-1 twilio-origination: A rolling deploy that stopped at node 1 leaves its URL disabled/);
        expect(code).toBe(1);
      } finally {
        await originationUrlProvider.delete(node1.id, node1.outs);
      }
    }));

  it("fails the API and trunk lines when the keys are wrong, saying the keys must match livekit.yaml", () =>
    stack.withLogs(async () => {
      const { url, apiKey } = stack.livekit;
      const args = ["--domain", domain, "--ip", "127.0.0.1", "--livekit-url", url, "--api-key", apiKey, "--sip-port", String(stack.sip.sipPort), "--trunk-domain", trunkDomain, "--secure-trunking", "false"];
      const { code, output } = await doctor([...args, ...local()], { ...process.env, LIVEKIT_API_SECRET: "not-the-secret-livekit-server-runs-with" });
      expect(statuses(output)).toMatchObject({ "livekit-api": "FAIL", "outbound-trunk": "FAIL", dns: "PASS", "sip-options": "PASS" });
      expect(output).toMatch(/livekit-api\s+FAIL\s+http:\/\/127\.0\.0\.1:\d+ refused key harness \(HTTP 401\)/);
      expect(output).toMatch(/livekit-api: The stack config livekitApiKey\/livekitApiSecret must match the keys livekit-server runs with/);
      expect(code).toBe(1);
    }));

  it("fails the TLS line for a certificate about to expire", () =>
    stack.withLogs(async () => {
      const { code, output } = await doctor(["--stack", "local", ...local(expiring)], fake.env);
      expect(output).toMatch(new RegExp(`tls\\s+FAIL\\s+the certificate for ${domain.replace(/\./g, "\\.")} is valid until \\S+, only [0-9] days left`));
      expect(output).toMatch(/tls: Renewal is failing\. Caddy obtains and renews the certificate/);
      expect(code).toBe(1);
    }));

  it("fails the closed-ports line when an internal service answers", () =>
    stack.withLogs(async () => {
      const { code, output } = await doctor(["--stack", "local", ...local(), "--closed-ports", `${closedPorts[0]},${stack.redis.port}`], fake.env);
      expect(output).toMatch(new RegExp(`closed-ports\\s+FAIL\\s+open on 127\\.0\\.0\\.1: ${stack.redis.port} \\(port ${stack.redis.port}\\) accepts TCP connections`));
      expect(code).toBe(1);
    }));

  it("with livekit-sip stopped, fails the SIP line with a clear message and exits non-zero", () =>
    stack.withLogs(async () => {
      await stack.sip.process.stop();
      const { code, output } = await doctor(["--stack", "local", ...local()], fake.env);
      expect(statuses(output)).toEqual({ ...allPass, "sip-tls": "SKIP", "sip-options": "FAIL" });
      expect(output).toMatch(
        new RegExp(`sip-options\\s+FAIL\\s+nothing listens on 127\\.0\\.0\\.1:${stack.sip.sipPort}/udp: the host refused the SIP OPTIONS request`),
      );
      expect(output).toMatch(/1 of 11 checks failed\. How to fix:\n {2}sip-options: livekit-sip is not running\. On the host \(over SSH\): `sudo docker compose .* ps sip/);
      expect(code).toBe(1);
    }));

  it("follows a number routed to another agent to its own rule, and fails the worker line when no worker registers as that agent", () =>
    stack.withLogs(async () => {
      const { code, output } = await doctor(["--stack", "local", ...local(), "--number", salesNumber, "--skip", "sip-options"], fake.env);
      expect(statuses(output)).toMatchObject({ "inbound-trunk": "PASS", "inbound-dispatch": "PASS", "inbound-worker": "FAIL" });
      expect(output).toMatch(new RegExp(`inbound-dispatch\\s+PASS\\s+${salesRuleId} "doctor-inbound-calls-\\+15005550007" gives each call to \\+15005550007 a room with agent sales-agent`));
      expect(output).toMatch(/inbound-worker\s+FAIL\s+no worker registered as sales-agent accepted a job within 10 s: inbound calls would get no agent/);
      expect(output).toMatch(/inbound-worker: Start the worker and check its AGENT_NAME is sales-agent: `pulumi up` deploys it; on the host \(over SSH\): `sudo docker compose .* ps worker/);
      // The probe leaves no room dispatching the agent behind.
      const { url, apiKey, apiSecret } = stack.livekit;
      const dispatches = new AgentDispatchClient(url, apiKey, apiSecret);
      const rooms = await new RoomServiceClient(url, apiKey, apiSecret).listRooms();
      const agents = (await Promise.all(rooms.map((room) => dispatches.listDispatch(room.name)))).flat().map((d) => d.agentName);
      expect(agents).not.toContain("sales-agent");
      expect(code).toBe(1);
    }));

  it("fails the trunk line for a number no inbound trunk lists, and the lines after it for the same reason", () =>
    stack.withLogs(async () => {
      const { code, output } = await doctor(["--stack", "local", ...local(), "--number", "+15005550099", "--skip", "sip-options"], fake.env);
      expect(statuses(output)).toMatchObject({ "inbound-trunk": "FAIL", "inbound-dispatch": "FAIL", "inbound-worker": "FAIL" });
      expect(output).toMatch(/inbound-trunk\s+FAIL\s+no inbound trunk lists \+15005550099: calls to it are refused/);
      expect(output).toMatch(/inbound-dispatch: See the inbound-trunk line\./);
      expect(code).toBe(1);
    }));

  it("fails the trunk line when the trunk does not admit the carrier's ranges", () =>
    stack.withLogs(async () => {
      const { output } = await doctor(["--stack", "local", ...local(), "--carrier-cidrs", "127.0.0.1/32,54.172.60.0/30", "--skip", "sip-options"], fake.env);
      expect(output).toMatch(/inbound-trunk\s+FAIL\s+ST_\w+ "doctor-inbound" lists \+15005550006 but refuses the carrier's 54\.172\.60\.0\/30 \(it allows 127\.0\.0\.1\/32\)/);
    }));

  it("with the worker stopped, fails the worker line", () =>
    stack.withLogs(async () => {
      await worker.process.stop();
      const { code, output } = await doctor(["--stack", "local", ...local(), "--skip", "sip-options"], fake.env);
      expect(statuses(output)).toMatchObject({ "inbound-trunk": "PASS", "inbound-dispatch": "PASS", "inbound-worker": "FAIL" });
      expect(output).toMatch(/inbound-worker\s+FAIL\s+no worker registered as doctor-agent accepted a job within 10 s/);
      expect(code).toBe(1);
    }));
});
