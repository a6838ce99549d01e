import type { ManagedProcess } from "./managed-process";

/** Log tails of `processes`, each under a header naming the server and its full log file. */
export function formatLogs(processes: readonly ManagedProcess[], lines = 200): string {
  return processes
    .map((p) => `----- ${p.name} (last ${lines} lines of ${p.logPath}) -----\n${p.logTail(lines)}`)
    .join("\n");
}

/**
 * Polls `check` until it returns true. Fails at once when one of `watched` exits (a server that
 * rejected its config exits, often with status 0), and after `timeoutMs`; either error carries the
 * watched servers' log tails.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  watched: readonly ManagedProcess[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    const dead = watched.find((p) => p.hasExited());
    if (dead) {
      throw new Error(`${dead.name} exited (${await dead.exited}) before ${what}\n${formatLogs(watched)}`);
    }
    try {
      if (await check()) {
        return;
      }
    } catch (error) {
      lastError = ` (last check error: ${(error as Error).message})`;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError}\n${formatLogs(watched)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
