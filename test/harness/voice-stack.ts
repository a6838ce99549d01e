import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogLevel } from "../../components/runtime-config/livekit-yaml";
import { type ApiCredentials, type LivekitServer, localCredentials, startLivekitServer } from "./livekit-server";
import { type LivekitSip, type SipTlsFiles, startLivekitSip } from "./livekit-sip";
import type { ManagedProcess } from "./managed-process";
import { type RedisServer, startRedis } from "./redis";
import { formatLogs, waitUntil } from "./wait-until";

/** Options for starting a stack. */
export interface StackOptions {
  /** Log level of livekit-server and livekit-sip. Defaults to "info". */
  logLevel?: LogLevel;
  /** livekit-server's API key and secret. Defaults to a fresh random pair. */
  credentials?: ApiCredentials;
  /** livekit-sip's RTP ports (startVoiceStack). Defaults to livekit-sip's harness default. */
  rtpPortCount?: number;
  /** livekit-sip's SIP over TLS certificate (secure trunking). Defaults to none. */
  sipTls?: SipTlsFiles;
}

/** redis-server and livekit-server sharing it, all on loopback. */
export interface LivekitStack {
  /** The Redis bus. */
  redis: RedisServer;
  /** livekit-server: URLs and API credentials for clients. */
  livekit: LivekitServer;
  /** Temporary directory holding every config and log of this stack. */
  logDir: string;
  /** Log tails of every server in the stack. */
  logs(lines?: number): string;
  /**
   * Runs `test`; when it throws, prints every server's log tail, keeps {@link logDir} for reading
   * after the run, and rethrows. Wrap each test body in it.
   */
  withLogs<T>(test: () => Promise<T>): Promise<T>;
  /**
   * Adds a process started beside the stack (a worker, the carrier): its log tail joins the
   * servers' in {@link logs} and {@link withLogs}, and {@link stop} stops it with them.
   */
  track<T extends { readonly process: ManagedProcess }>(server: T): T;
  /** Kills every process of the stack; removes {@link logDir} unless a test failed. */
  stop(): Promise<void>;
}

/** A {@link LivekitStack} plus livekit-sip connected to it through the shared Redis. */
export interface VoiceStack extends LivekitStack {
  /** livekit-sip: SIP address and ports. */
  sip: LivekitSip;
}

/** Tracks a stack's processes and log directory, so every start path stops what it started. */
class StackLifecycle {
  readonly logDir = mkdtempSync(join(tmpdir(), "voice-stack-"));
  // Servers, not their processes: a restarted server (Redis) holds a new process.
  private readonly servers: { readonly process: ManagedProcess }[] = [];
  private failed = false;

  add<T extends { readonly process: ManagedProcess }>(server: T): T {
    this.servers.push(server);
    return server;
  }

  private get processes(): ManagedProcess[] {
    return this.servers.map((server) => server.process);
  }

  logs(lines?: number): string {
    return formatLogs(this.processes, lines);
  }

  async withLogs<T>(test: () => Promise<T>): Promise<T> {
    try {
      return await test();
    } catch (error) {
      this.failed = true;
      console.error(`${this.logs()}\nFull server logs and configs: ${this.logDir}`);
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
    if (!this.failed) {
      rmSync(this.logDir, { recursive: true, force: true });
    }
  }

  /** Runs a start sequence; on failure stops what did start and keeps the logs. */
  async start<T>(steps: () => Promise<T>): Promise<T> {
    try {
      return await steps();
    } catch (error) {
      this.failed = true;
      await this.stop();
      throw new Error(`${(error as Error).message}\nFull server logs and configs: ${this.logDir}`);
    }
  }

  handle(): Pick<LivekitStack, "logDir" | "logs" | "withLogs" | "track" | "stop"> {
    return {
      logDir: this.logDir,
      logs: (lines) => this.logs(lines),
      withLogs: (test) => this.withLogs(test),
      track: (server) => this.add(server),
      stop: () => this.stop(),
    };
  }
}

/** Starts redis-server, then livekit-server on it, registering both with `lifecycle`. */
async function startLivekitParts(lifecycle: StackLifecycle, options: StackOptions): Promise<{ redis: RedisServer; livekit: LivekitServer }> {
  const redis = lifecycle.add(await startRedis(lifecycle.logDir));
  const livekit = lifecycle.add(
    await startLivekitServer({ ...options, redisAddress: redis.address, logDir: lifecycle.logDir }),
  );
  return { redis, livekit };
}

/**
 * Starts redis-server and livekit-server on free loopback ports with the project's own rendered
 * configs; resolves once both answer their health checks. Call `stop()` in `afterAll`.
 */
export function startLivekitStack(options: StackOptions = {}): Promise<LivekitStack> {
  const lifecycle = new StackLifecycle();
  return lifecycle.start(async () => ({ ...(await startLivekitParts(lifecycle, options)), ...lifecycle.handle() }));
}

/**
 * Starts redis-server, livekit-server and livekit-sip connected through that Redis, with the
 * project's own rendered configs; resolves once livekit-sip takes calls from the bus.
 */
export function startVoiceStack(options: StackOptions = {}): Promise<VoiceStack> {
  const lifecycle = new StackLifecycle();
  return lifecycle.start(async () => {
    const parts = await startLivekitParts(lifecycle, options);
    const sip = lifecycle.add(
      await startLivekitSip({ ...parts, logDir: lifecycle.logDir, logLevel: options.logLevel, rtpPortCount: options.rtpPortCount, tls: options.sipTls }),
    );
    return { ...parts, sip, ...lifecycle.handle() };
  });
}

/** One node of a multi-node stack: its livekit-server and livekit-sip, on its own ports and SIP address. */
export interface VoiceNode {
  /** `node-a`, `node-b`: its log directory under the stack's. */
  name: string;
  /** livekit-server's node ID (`ND_…`), as Redis's room_node_map names the node a room lives on. */
  nodeId: string;
  livekit: LivekitServer;
  sip: LivekitSip;
}

/** Two nodes sharing one Redis that requires AUTH, as nodes share Memorystore. */
export interface TwoNodeStack extends Omit<LivekitStack, "livekit"> {
  nodes: [VoiceNode, VoiceNode];
}

/** The node ID livekit-server logs when it starts (pkg/service/server.go: "starting LiveKit server"). */
async function nodeIdOf(livekit: LivekitServer): Promise<string> {
  let nodeId: string | undefined;
  await waitUntil(
    "livekit-server logs its node ID",
    async () => (nodeId = /"nodeID":\s*"([^"]+)"/.exec(livekit.process.logTail(400))?.[1]) !== undefined,
    [livekit.process],
  );
  return nodeId as string;
}

/**
 * Starts two voice nodes on loopback: one redis-server with a password, and per node a
 * livekit-server and a livekit-sip with the project's rendered configs and the shared API key
 * pair; node A's livekit-sip listens on 127.0.0.2, node B's on 127.0.0.3 (their origination
 * addresses). Both livekit-servers advertise 127.0.0.1 for ICE, the only address loopback media
 * reaches. Resolves once both livekit-sips take calls from the bus.
 */
export function startTwoNodeStack(options: Omit<StackOptions, "credentials"> = {}): Promise<TwoNodeStack> {
  const lifecycle = new StackLifecycle();
  return lifecycle.start(async () => {
    const redis = lifecycle.add(await startRedis(lifecycle.logDir, { password: randomBytes(16).toString("hex") }));
    const credentials = localCredentials();
    const startNode = async (name: string, host: string): Promise<VoiceNode> => {
      const logDir = join(lifecycle.logDir, name);
      mkdirSync(logDir);
      const livekit = lifecycle.add(
        await startLivekitServer({ redisAddress: redis.address, redisPassword: redis.password, logDir, logLevel: options.logLevel, credentials }),
      );
      const sip = lifecycle.add(
        await startLivekitSip({ livekit, redis, logDir, logLevel: options.logLevel, rtpPortCount: options.rtpPortCount, host }),
      );
      return { name, nodeId: await nodeIdOf(livekit), livekit, sip };
    };
    const nodes: [VoiceNode, VoiceNode] = [await startNode("node-a", "127.0.0.2"), await startNode("node-b", "127.0.0.3")];
    return { redis, nodes, ...lifecycle.handle() };
  });
}
