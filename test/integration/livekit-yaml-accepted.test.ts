import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RoomServiceClient } from "livekit-server-sdk";
import { parse } from "yaml";
import { type LivekitKeys, renderRuntimeFiles } from "../../components/runtime-config";
import { toGoYaml } from "../../components/runtime-config/go-yaml";
import { launchLivekitServer, waitForLivekitHealth } from "../harness/livekit-server";
import { freePort } from "../harness/ports";
import { type RedisServer, startRedis } from "../harness/redis";
import { acceptedConfig, configOverrides, keysOf, runtimeInputOf } from "../utils/render-properties";
import { productionKeys, productionRuntimeInput } from "../utils/runtime-input";

/**
 * The production livekit.yaml with only its listeners moved onto free loopback ports, so several
 * can run beside other tests: port numbers and the Redis address change, ICE/TCP is turned off
 * (it can only bind every interface) and ICE/UDP and TURN are kept on 127.0.0.1. Every key and
 * value type the renderer wrote stays as it is, so strict parsing judges the rendered structure.
 */
async function onLoopback(livekitYaml: string, redisAddress: string): Promise<{ text: string; port: number }> {
  const doc = parse(livekitYaml);
  const port = await freePort("tcp");
  doc.port = port;
  doc.redis.address = redisAddress;
  doc.prometheus.port = await freePort("tcp");
  doc.rtc.tcp_port = 0;
  doc.rtc.udp_port = await freePort("udp");
  doc.rtc.ips = { includes: ["127.0.0.1/32"] };
  if (doc.turn) {
    doc.turn.udp_port = await freePort("udp");
    doc.turn.bind_addresses = ["127.0.0.1"];
  }
  return { text: toGoYaml(doc), port };
}

describe("livekit.yaml rendered from generated stack configs", () => {
  let logRoot: string;
  let redis: RedisServer;
  beforeAll(async () => {
    logRoot = mkdtempSync(join(tmpdir(), "livekit-yaml-accepted-"));
    redis = await startRedis(logRoot);
  }, 60_000);
  afterAll(async () => {
    await redis?.process.stop();
    rmSync(logRoot, { recursive: true, force: true });
  });

  /**
   * Starts livekit-server on the loopback form of `livekitYaml`, with the key pair as its rendered
   * env file gives it, and lists rooms with that pair.
   */
  async function listRoomsWith(livekitYaml: string, keys: LivekitKeys, name: string): Promise<unknown> {
    const { text, port } = await onLoopback(livekitYaml, redis.address);
    const { process } = launchLivekitServer(text, mkdtempSync(join(logRoot, `${name}-`)), keys);
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitForLivekitHealth(url, process);
      return await new RoomServiceClient(url, keys.apiKey, keys.apiSecret).listRooms();
    } finally {
      await process.stop();
    }
  }

  it("is accepted by the real livekit-server in strict mode, which then signs with exactly the configured key pair", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(configOverrides, fc.ipV4(), async (overrides, staticIp) => {
        const config = acceptedConfig(overrides);
        fc.pre(config !== undefined);
        const rooms = await listRoomsWith(renderRuntimeFiles(runtimeInputOf(config!, staticIp)).livekit.content, keysOf(config!), `run-${run++}`);
        expect(rooms).toEqual([]);
      }),
      // Each run starts a server: a small sample, no shrinking (the seed in a failure replays it).
      { numRuns: 6, endOnFailure: true },
    );
  }, 240_000);

  // YAML 1.2 reads 0o17 as a number; the renderer must quote it so Go reads the key back.
  it("knows an API key such as 0o17, which the validator accepts", async () => {
    const livekitYaml = renderRuntimeFiles(productionRuntimeInput()).livekit.content;
    expect(await listRoomsWith(livekitYaml, productionKeys({ apiKey: "0o17" }), "octal-key")).toEqual([]);
  }, 60_000);
});
