import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { renderRedisConf } from "../../components/runtime-config/host-files";
import { requireBinaries, systemBinaries } from "./binaries";
import { type ManagedProcess, startProcess } from "./managed-process";
import { freePort } from "./ports";
import { waitUntil } from "./wait-until";

const execFileAsync = promisify(execFile);

/** A running redis-server on loopback. */
export interface RedisServer {
  /** TCP port on 127.0.0.1. */
  port: number;
  /** `127.0.0.1:<port>`, as livekit-server and livekit-sip configs take it. */
  address: string;
  /** The process, for logs and stopping. */
  process: ManagedProcess;
  /** Runs one command with redis-cli and returns its raw output, trimmed. */
  command(...args: string[]): Promise<string>;
}

/**
 * Starts redis-server with the project's own redis.conf (loopback bind, protected mode, no
 * persistence), overriding only the port and working directory on the command line.
 */
export async function startRedis(logDir: string): Promise<RedisServer> {
  requireBinaries([systemBinaries.redisServer, systemBinaries.redisCli]);
  const port = await freePort("tcp");
  const configPath = join(logDir, "redis.conf");
  writeFileSync(configPath, renderRedisConf());
  const process = startProcess({
    name: "redis",
    command: systemBinaries.redisServer,
    args: [configPath, "--port", String(port), "--dir", logDir],
    logDir,
  });
  const command = async (...args: string[]): Promise<string> => {
    const { stdout } = await execFileAsync(systemBinaries.redisCli, ["-h", "127.0.0.1", "-p", String(port), ...args]);
    return stdout.trim();
  };
  try {
    await waitUntil("redis answers PING", async () => (await command("PING")) === "PONG", [process]);
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { port, address: `127.0.0.1:${port}`, process, command };
}
