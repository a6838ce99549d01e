import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import {
  backoffDelayMs,
  defaultRetryPolicy,
  isRetriesExhaustedError,
  parseRetryAfter,
  retriesExhaustedError,
  safeError,
  transientError,
  withRetry,
  type RetryPolicy,
} from "../../../../providers/base";

/** A policy whose sleeps are recorded instead of waited. */
function recordingPolicy(overrides: Partial<RetryPolicy> = {}): { policy: Partial<RetryPolicy>; slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    policy: { random: () => 1, sleep: async (ms) => void slept.push(ms), ...overrides },
  };
}

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(" 0 ")).toBe(0);
  });

  it("reads an HTTP date relative to now, never negative", () => {
    const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:28:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:27:00 GMT", now)).toBe(0);
  });

  it("ignores absent or garbage values", () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});

describe("backoffDelayMs", () => {
  it("never exceeds the cap and never drops below half the exponential step", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const policy = { ...defaultRetryPolicy, random: () => r };
        const delay = backoffDelayMs(attempt, policy);
        const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        return delay <= policy.maxDelayMs && delay >= Math.floor(step / 2);
      }),
    );
  });

  it("uses the server's Retry-After, capped", () => {
    expect(backoffDelayMs(1, defaultRetryPolicy, 2000)).toBe(2000);
    expect(backoffDelayMs(1, defaultRetryPolicy, 3_600_000)).toBe(defaultRetryPolicy.maxRetryAfterMs);
  });
});

describe("withRetry", () => {
  it("retries 429 and 5xx, honouring Retry-After, then returns the result", async () => {
    const { policy, slept } = recordingPolicy();
    const failures = [transientError(429, "rate limited", 1500), transientError(503, "unavailable")];
    let calls = 0;
    const result = await withRetry("create thing", async () => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return "ok";
    }, { policy });
    expect(result).toBe("ok");
    expect(calls).toBe(3);
    expect(slept).toEqual([1500, 1000]);
  });

  it("retries SDK errors that carry a transient status", async () => {
    const { policy } = recordingPolicy();
    let calls = 0;
    await withRetry("read thing", async () => {
      if (calls++ === 0) throw Object.assign(new Error("busy"), { status: 502 });
      return calls;
    }, { policy });
    expect(calls).toBe(2);
  });

  it("rethrows non-transient errors at once", async () => {
    const { policy, slept } = recordingPolicy();
    const notFound = Object.assign(new Error("missing"), { status: 404 });
    await expect(withRetry("read thing", async () => Promise.reject(notFound), { policy })).rejects.toBe(notFound);
    expect(slept).toEqual([]);
  });

  it("gives up after maxAttempts with one error naming the action, attempts and last failure", async () => {
    const { policy, slept } = recordingPolicy({ maxAttempts: 4 });
    const lines: string[] = [];
    const attempt = withRetry("create trunk \"t\"", async () => Promise.reject(transientError(503, "down")), {
      policy,
      log: (line) => lines.push(line),
    });
    await expect(attempt.catch((e: unknown) => isRetriesExhaustedError(e))).resolves.toBe(true);
    await expect(attempt).rejects.toThrow(/create trunk "t" failed after 4 attempts; last failure: HTTP 503 \(down\)/);
    expect(slept).toEqual([500, 1000, 2000]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/retrying in 500 ms \(attempt 2 of 4\)/);
  });

  it("keeps every error's message after Pulumi's closure serialization (the engine reports failures by message)", async () => {
    const makers = () => [
      transientError(503, "down"),
      retriesExhaustedError("create trunk", 5, transientError(503, "down")),
      safeError("create trunk", new Error("boom"), []),
    ];
    const serialized = await pulumi.runtime.serializeFunction(() => makers, { allowSecrets: false });
    const requireFromString = require("require-from-string");
    const revived: Error[] = requireFromString(serialized.text).handler()();
    expect(revived.map((e) => [e.name, e.message])).toEqual([
      ["TransientError", "HTTP 503 (down)"],
      ["RetriesExhaustedError", expect.stringMatching(/^create trunk failed after 5 attempts; last failure: HTTP 503 \(down\)/)],
      ["SafeError", "create trunk: boom"],
    ]);
  });
});
