import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { RoomServiceClient, SipClient } from "livekit-server-sdk";
import { renderLivekitYaml, voiceRoomDefaults } from "../../components/runtime-config/livekit-yaml";
import { repoRoot } from "../harness/binaries";
import { launchLivekitServer, localCredentials } from "../harness/livekit-server";
import { sipServicesOnBus } from "../harness/livekit-sip";
import { startLivekitStack, startVoiceStack, type VoiceStack } from "../harness/voice-stack";
import { processGroupAlive } from "../harness/managed-process";
import { waitUntil } from "../harness/wait-until";

// Starting real servers takes seconds, more on a loaded machine; the harness's own waits time out
// first, with the servers' logs in their errors.
const startTimeout = 90_000;
jest.setTimeout(60_000);


// YAML syntax in the secret: calls only authenticate if the Go servers read back exactly what the
// renderers wrote.
const credentials = { apiKey: "harness", apiSecret: `s3cr#t: "q" 'q' & *a\n- [x] {y}, yes 1:20 é\t${localCredentials().apiSecret}` };

describe("strict config checking", () => {
  it("livekit-server as the harness runs it exits on a key it does not know", async () => {
    const logDir = mkdtempSync(join(tmpdir(), "strict-config-"));
    try {
      const rendered = renderLivekitYaml({
        port: 7880,
        bindAddresses: ["127.0.0.1"],
        rtc: { tcpPort: null, udpPort: 7882, publicAddress: { staticIp: "127.0.0.1" } },
        redis: { address: "127.0.0.1:6379" },
        logLevel: "info",
      });
      const server = launchLivekitServer(`${rendered}misspelt_key: 1\n`, logDir, localCredentials()).process;
      await server.exited;
      expect(server.logTail()).toContain("field misspelt_key not found");
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  });
});

// One stack for the harness's own checks: livekit-server and Redis (what startLivekitStack starts),
// then livekit-sip beside them.
describe("startVoiceStack: livekit-server and Redis, and livekit-sip connected through the shared Redis", () => {
  let stack: VoiceStack;
  beforeAll(async () => (stack = await startVoiceStack({ credentials })), startTimeout);
  afterAll(() => stack?.stop());

  it("runs livekit-server on the rendered livekit.yaml, reading the secret exactly and applying the voice room settings", () =>
    stack.withLogs(async () => {
      const { url, apiKey, apiSecret } = stack.livekit;
      expect(apiSecret).toBe(credentials.apiSecret);
      const rooms = new RoomServiceClient(url, apiKey, apiSecret);
      const room = await rooms.createRoom({ name: "harness-voice-room" });
      expect(room.emptyTimeout).toBe(voiceRoomDefaults.emptyTimeoutSeconds);
      expect(room.departureTimeout).toBe(voiceRoomDefaults.departureTimeoutSeconds);
      expect(room.enabledCodecs.map((codec) => codec.mime).sort()).toEqual(["audio/PCMA", "audio/PCMU", "audio/opus", "audio/red"]);
      expect((await rooms.listRooms()).map((r) => r.name)).toContain("harness-voice-room");
    }));

  it("refuses API calls signed with a secret other than the rendered one", () =>
    stack.withLogs(async () => {
      const wrongSecret = localCredentials().apiSecret;
      await expect(new RoomServiceClient(stack.livekit.url, stack.livekit.apiKey, wrongSecret).listRooms()).rejects.toThrow();
    }));

  it("keeps its node and rooms in the shared Redis", () =>
    stack.withLogs(async () => {
      const { url, apiKey, apiSecret } = stack.livekit;
      await new RoomServiceClient(url, apiKey, apiSecret).createRoom({ name: "harness-redis-room" });
      expect(Number(await stack.redis.command("HLEN", "nodes"))).toBe(1);
      expect(await stack.redis.command("HEXISTS", "rooms", "harness-redis-room")).toBe("1");
    }));

  it("runs Redis on the rendered redis.conf: loopback only, protected mode, every write kept in its data directory across a restart", () =>
    stack.withLogs(async () => {
      const config = async (key: string) => (await stack.redis.command("CONFIG", "GET", key)).split("\n");
      expect(await config("bind")).toEqual(["bind", "127.0.0.1 -::1"]);
      expect(await config("protected-mode")).toEqual(["protected-mode", "yes"]);
      expect(await config("appendonly")).toEqual(["appendonly", "yes"]);
      expect(await config("appendfsync")).toEqual(["appendfsync", "everysec"]);
      expect(await config("dir")).toEqual(["dir", stack.redis.dataDir]);
      await stack.redis.command("SET", "harness-kept", "across-restart");
      const before = stack.redis.process.pid;

      await stack.redis.restart();

      expect(stack.redis.process.pid).not.toBe(before);
      expect(await stack.redis.command("GET", "harness-kept")).toBe("across-restart");
      expect(readdirSync(join(stack.redis.dataDir, "appendonlydir")).some((name) => name.endsWith(".incr.aof"))).toBe(true);
      // livekit-sip's subscription did not survive the restart: it subscribes again on its own.
      await waitUntil("livekit-sip subscribes on the restarted Redis's bus again", async () => (await sipServicesOnBus(stack.redis)) === 1, [stack.sip.process]);
    }));

  it("serves Prometheus metrics on the loopback port the config names", () =>
    stack.withLogs(async () => {
      const response = await fetch(`http://127.0.0.1:${stack.livekit.prometheusPort}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("livekit_");
    }));

  it("runs livekit-sip on its rendered config, healthy and taking calls from the Redis bus", () =>
    stack.withLogs(async () => {
      expect((await fetch(stack.sip.healthUrl)).status).toBe(200);
      expect(await sipServicesOnBus(stack.redis)).toBe(1);
    }));

  // livekit-sip joins the call's room with a token signed by the rendered secret before it dials.
  it("turns a CreateSIPParticipant call on livekit-server into a SIP INVITE from livekit-sip", () =>
    stack.withLogs(async () => {
      const carrier = createSocket("udp4");
      await new Promise<void>((resolve) => carrier.bind(0, "127.0.0.1", resolve));
      try {
        const carrierPort = carrier.address().port;
        let received = "";
        carrier.on("message", (message) => {
          received ||= message.toString();
        });
        const { url, apiKey, apiSecret } = stack.livekit;
        const sip = new SipClient(url, apiKey, apiSecret);
        const trunk = await sip.createSipOutboundTrunk("harness-carrier", `127.0.0.1:${carrierPort}`, ["+15550100000"]);
        // The call never gets an answer; the request settles when the stack stops.
        sip.createSipParticipant(trunk.sipTrunkId, "+15550100001", "harness-call-room").catch(() => undefined);
        await waitUntil("livekit-sip's INVITE at the carrier socket", async () => received !== "", [stack.sip.process]);
        const [requestLine, ...headers] = received.split("\r\n");
        expect(requestLine).toBe(`INVITE sip:+15550100001@127.0.0.1:${carrierPort} SIP/2.0`);
        // The announced address and port come from the rendered config (nat_1_to_1_ip, sip_port).
        expect(headers.find((header) => /^(Contact|m):/i.test(header))).toContain(`sip:127.0.0.1:${stack.sip.sipPort}`);
        expect(headers.find((header) => /^(From|f):/i.test(header))).toContain("+15550100000");
        // The offered media port comes from the rendered RTP range (rtp_port).
        const mediaPort = Number(/^m=audio (\d+) /m.exec(received)?.[1]);
        expect(mediaPort).toBeGreaterThanOrEqual(stack.sip.rtpPorts.start);
        expect(mediaPort).toBeLessThanOrEqual(stack.sip.rtpPorts.end);
      } finally {
        carrier.close();
      }
    }));
});

describe("process cleanup", () => {
  it("stop() leaves no server process behind", async () => {
    const stack = await startLivekitStack();
    const groups = [stack.redis.process.pid, stack.livekit.process.pid];
    expect(groups.filter(processGroupAlive)).toEqual(groups);
    await stack.stop();
    expect(groups.filter(processGroupAlive)).toEqual([]);
  }, startTimeout);

  it("kills the servers when the process that started them is killed outright", async () => {
    const owner = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "test/harness/start-stack.ts"), "--sip"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: owner.stdout! }).once("line", resolve);
        owner.once("exit", (code) => reject(new Error(`start-stack exited with code ${code} before printing the stack`)));
      });
      const started = JSON.parse(firstLine) as { logDir: string; redis: { pid: number }; livekit: { pid: number }; sip: { pid: number } };
      const groups = [started.redis.pid, started.livekit.pid, started.sip.pid];
      expect(groups.filter(processGroupAlive)).toEqual(groups);
      owner.kill("SIGKILL");
      const deadline = Date.now() + 10_000;
      while (groups.some(processGroupAlive) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(groups.filter(processGroupAlive)).toEqual([]);
      rmSync(started.logDir, { recursive: true, force: true });
    } finally {
      owner.kill("SIGKILL");
    }
  }, startTimeout);
});
