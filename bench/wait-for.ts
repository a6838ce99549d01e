/**
 * Waiting for something the stack will log, and the clock the benchmark measures with.
 */
import type { ManagedProcess } from "../test/harness/managed-process";
import { waitUntil } from "../test/harness/wait-until";

/** Epoch milliseconds with sub-millisecond precision (the same clock sipp and the worker log by). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` until it returns a value and resolves with it; fails after `timeoutMs` or when one
 * of `watched` exits, with their log tails.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  watched: readonly ManagedProcess[],
  timeoutMs: number,
): Promise<T> {
  let found: T | undefined;
  await waitUntil(
    what,
    async () => {
      found = probe();
      return found !== undefined;
    },
    watched,
    timeoutMs,
  );
  return found as T;
}
