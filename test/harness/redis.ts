import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { renderRedisConf } from "../../components/runtime-config/host-files";
import { requireBinaries, systemBinaries } from "./binaries";
import { type ManagedProcess, startReady } from "./managed-process";
import { freePort } from "./ports";
import { waitUntil } from "./wait-until";

const execFileAsync = promisify(execFile);

/** A running redis-server on loopback. */
export interface RedisServer {
  /** TCP port on 127.0.0.1. */
  port: number;
  /** `127.0.0.1:<port>`, as livekit-server and livekit-sip configs take it. */
  address: string;
  /** AUTH password (`requirepass`), when it was started with one: Memorystore's AUTH string, locally. */
  password?: string;
  /** Its data directory (the rendered conf's `dir`, the compose volume's stand-in): the append-only file lives here. */
  dataDir: string;
  /** The running process, for logs and stopping; a new one after {@link restart}. */
  readonly process: ManagedProcess;
  /** Runs one command with redis-cli and returns its raw output, trimmed. */
  command(...args: string[]): Promise<string>;
  /**
   * Stops redis-server as `docker compose stop` or a reboot does (SHUTDOWN, what Redis does on
   * SIGTERM) and starts it again with the same conf, port and data directory; resolves once it
   * answers PING with its data loaded.
   */
  restart(): Promise<void>;
}

/**
 * Starts redis-server with the project's own redis.conf (loopback bind, protected mode,
 * append-only file) rendered with its own data directory, overriding only the port on the command
 * line. With `password`, clients must AUTH, as with the Memorystore instance nodes share.
 */
export async function startRedis(logDir: string, options: { password?: string } = {}): Promise<RedisServer> {
  requireBinaries([systemBinaries.redisServer, systemBinaries.redisCli]);
  const port = await freePort("tcp");
  const configPath = join(logDir, "redis.conf");
  const dataDir = join(logDir, "redis-data");
  mkdirSync(dataDir, { recursive: true });
  const { password } = options;
  writeFileSync(configPath, `${renderRedisConf(dataDir)}${password === undefined ? "" : `requirepass "${password}"\n`}`);
  const command = async (...args: string[]): Promise<string> => {
    const { stdout } = await execFileAsync(systemBinaries.redisCli, ["-h", "127.0.0.1", "-p", String(port), ...args], {
      // redis-cli reads the password from its environment, keeping it off the command line.
      env: { ...process.env, ...(password !== undefined && { REDISCLI_AUTH: password }) },
    });
    return stdout.trim();
  };
  const launch = (): Promise<ManagedProcess> =>
    startReady({ name: "redis", command: systemBinaries.redisServer, args: [configPath, "--port", String(port)], logDir }, (started) =>
      // PING answers LOADING errors while the append-only file is read back.
      waitUntil("redis answers PING", async () => (await command("PING")) === "PONG", [started]),
    );
  let current = await launch();
  return {
    port,
    address: `127.0.0.1:${port}`,
    password,
    dataDir,
    get process() {
      return current;
    },
    command,
    async restart() {
      await command("SHUTDOWN");
      await current.exited;
      await current.stop();
      current = await launch();
    },
  };
}
