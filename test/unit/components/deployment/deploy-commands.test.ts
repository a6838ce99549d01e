import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  applyChangeCommand,
  configureRegistryCommand,
  shellQuote,
  waitForDnsCommand,
  waitForLoadBalancerCommand,
  waitForTlsCommand,
  writeFileCommand,
} from "../../../../components/deployment";
import { renderWorkerEnv } from "../../../../components/runtime-config";
import { renderAllFiles } from "../../../utils/render-properties";
import { productionKeys, productionRuntimeInput } from "../../../utils/runtime-input";

describe("deployment commands", () => {
  const files = renderAllFiles(productionRuntimeInput(), productionKeys());
  const apiSecret = productionKeys().apiSecret;

  it("restarts only the service that reads a changed file", () => {
    expect(applyChangeCommand(files.livekit)).toMatch(/up --detach --wait --no-deps --force-recreate 'livekit'; fi$/);
    expect(applyChangeCommand(files.sip)).toMatch(/--force-recreate 'sip'; fi$/);
    expect(applyChangeCommand(files.livekitKeys).split("\n").map((line) => /--force-recreate '(\w+)'; fi$/.exec(line)?.[1])).toEqual(["livekit", "sip"]);
    expect(applyChangeCommand(files.caddy)).toMatch(/exec -T 'caddy' caddy reload --config \/etc\/caddy\/Caddyfile; fi$/);
    expect(applyChangeCommand(files.compose)).toBe("sudo systemctl reload-or-restart 'agent-studio-voice.service'");
  });

  it("hands the calls over to a new worker when its env file changed, through the worker slots' script", () => {
    const env = renderWorkerEnv({ apiKey: "APItestkey", apiSecret, sipOutboundTrunkId: "ST_abc", agentName: "agent", callsPerProcess: 8 });
    expect(applyChangeCommand(env)).toBe("sudo sh '/opt/agent-studio-voice/worker-slots.sh' hand-over");
    const script = writeFileCommand(env);
    expect(script).not.toContain(apiSecret);
    expect(script).toContain("sudo chmod 0600 '/opt/agent-studio-voice/worker.env.new'");
  });

  it("lets root's docker pull from the registry host, failing with what to check", () => {
    const script = configureRegistryCommand("us-central1-docker.pkg.dev");
    expect(script).toMatch(/^if ! sudo gcloud auth configure-docker 'us-central1-docker\.pkg\.dev' --quiet; then$/m);
    expect(() => execFileSync("/bin/sh", ["-c", script], { stdio: "pipe", env: { PATH: "/nonexistent" } })).toThrow(
      /could not let docker pull from us-central1-docker\.pkg\.dev/,
    );
  });

  it("writes the file from stdin atomically and never puts its content in the command line", () => {
    const script = writeFileCommand(files.livekitKeys);
    expect(script).not.toContain(apiSecret);
    expect(script).toContain("sudo mv '/opt/agent-studio-voice/livekit-keys.env.new' '/opt/agent-studio-voice/livekit-keys.env'");
    expect(script).toContain("sudo chmod 0600 '/opt/agent-studio-voice/livekit-keys.env.new'");
  });

  it("quotes any value as a single shell word", () => {
    for (const value of ["a b", "it's", "$(rm -rf /)", "`x`", "a\nb", "'"]) {
      expect(execFileSync("sh", ["-c", `printf %s ${shellQuote(value)}`]).toString()).toBe(value);
    }
  });

  it("waits for DNS with a message telling which record to create", () => {
    const script = waitForDnsCommand(["voice.example.com"], "203.0.113.10", 1);
    expect(script).toContain('create the DNS record "voice.example.com. A 203.0.113.10"');
    // Run it against a name that never resolves: it must give up with that message.
    expect(() => execFileSync("sh", ["-c", waitForDnsCommand(["never.invalid"], "203.0.113.10", 1)], { stdio: "pipe" })).toThrow(
      /never\.invalid does not resolve to 203\.0\.113\.10/,
    );
  });
});

describe("waiting for the certificate", () => {
  const run = promisify(execFile);
  let dir: string;
  let caBundle: string;
  let servers: Server[] = [];

  /** An HTTPS server on loopback for `voice.test` with a certificate from a test CA, answering `status`. */
  async function serve(status: number): Promise<number> {
    const server = createServer(
      { key: readFileSync(join(dir, "host.key")), cert: readFileSync(join(dir, "host.pem")) },
      (_request, response) => response.writeHead(status).end(),
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "wait-tls-"));
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=wait-tls test CA");
    openssl("req", ...ec, "-keyout", "host.key", "-out", "host.csr", "-subj", "/CN=voice.test");
    writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:voice.test\n");
    openssl("x509", "-req", "-in", "host.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "host.pem", "-days", "2", "-extfile", "san.ext");
    openssl("req", "-x509", ...ec, "-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=some other CA");
    caBundle = join(dir, "ca.pem");
  });
  afterEach(() => {
    for (const server of servers) server.close();
    servers = [];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("returns once the name is served through loopback with a certificate the host trusts", async () => {
    const port = await serve(200);
    await expect(run("sh", ["-c", waitForTlsCommand("voice.test", 20, port)], { env: { ...process.env, CURL_CA_BUNDLE: caBundle } })).resolves.toBeDefined();
  });

  it("gives up with where to look when the certificate is not trusted (ACME not done yet)", async () => {
    const port = await serve(200);
    const failure = run("sh", ["-c", waitForTlsCommand("voice.test", 2, port)], { env: { ...process.env, CURL_CA_BUNDLE: join(dir, "other-ca.pem") } });
    await expect(failure).rejects.toMatchObject({
      stderr: expect.stringMatching(new RegExp(`https://voice\\.test:${port}/ did not answer with a valid certificate within 2s: read Caddy's ACME log[^\\n]*\\n.*certificate`)),
    });
  });

  it("keeps waiting while the proxy has no LiveKit behind it (502)", async () => {
    const port = await serve(502);
    await expect(run("sh", ["-c", waitForTlsCommand("voice.test", 2, port)], { env: { ...process.env, CURL_CA_BUNDLE: caBundle } })).rejects.toMatchObject({
      stderr: expect.stringContaining("did not answer with a valid certificate within 2s"),
    });
  });
});

describe("waitForLoadBalancerCommand", () => {
  it("asks the domain through real DNS, not loopback, and gives up naming the certificate and the backends' health", async () => {
    const command = waitForLoadBalancerCommand("voice.invalid", 1);
    expect(command).not.toContain("--resolve");
    expect(command).toContain("'https://voice.invalid/'");
    await expect(promisify(execFile)("sh", ["-c", command])).rejects.toMatchObject({
      stderr: expect.stringContaining(
        "https://voice.invalid/ did not answer through the load balancer within 1s: check that voice.invalid resolves to the load balancer's address, the managed certificate's status (gcloud compute ssl-certificates list) and the backends' health (gcloud compute backend-services get-health)",
      ),
    });
  });
});
