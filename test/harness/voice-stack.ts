import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogLevel } from "../../components/runtime-config/livekit-yaml";
import { type ApiCredentials, type LivekitServer, startLivekitServer } from "./livekit-server";
import { type LivekitSip, type SipTlsFiles, startLivekitSip } from "./livekit-sip";
import type { ManagedProcess } from "./managed-process";
import { type RedisServer, startRedis } from "./redis";
import { formatLogs } from "./wait-until";

/** Options for starting a stack. */
export interface StackOptions {
  /** Log level of livekit-server and livekit-sip. Defaults to "info". */
  logLevel?: LogLevel;
  /** livekit-server's API key and secret. Defaults to a fresh random pair. */
  credentials?: ApiCredentials;
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

  handle(): Pick<LivekitStack, "logDir" | "logs" | "withLogs" | "stop"> {
    return {
      logDir: this.logDir,
      logs: (lines) => this.logs(lines),
      withLogs: (test) => this.withLogs(test),
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
    const sip = lifecycle.add(await startLivekitSip({ ...parts, logDir: lifecycle.logDir, logLevel: options.logLevel, tls: options.sipTls }));
    return { ...parts, sip, ...lifecycle.handle() };
  });
}
