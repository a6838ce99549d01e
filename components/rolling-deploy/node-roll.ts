/**
 * The rolling deploy's order of work for one node, and for nodes one after another, over injected
 * effects: what the {@link RollingDeployGate} component declares as a chain of Pulumi steps, as
 * plain functions that tests drive against fakes (the unit tests) and against the local two-node
 * stack (the e2e test). No Pulumi, no I/O of its own.
 *
 * livekit-sip keeps accepting INVITEs while it drains (v1.8.0 only leaves the outbound-call topic
 * and waits for its calls on SIGTERM), so Twilio must stop sending first: the node's origination
 * URL is disabled before the drain starts, and enabled again only once the node is healthy.
 */

/** A node's origination URL on the Twilio trunk. */
export interface OriginationUrlRef {
  /** Trunk SID (`TK…`). */
  trunkSid: string;
  /** Origination URL SID (`OU…`). */
  sid: string;
}

/** What the roll does to one node; each effect throws on failure. */
export interface NodeRollEffects {
  /** Sets the node's origination URL's `enabled` flag on Twilio. */
  setOriginationUrlEnabled(enabled: boolean): Promise<void>;
  /** Asks the node's livekit-sip to drain (SIGTERM: no new outbound call, waits for its calls). */
  startDrain(): Promise<void>;
  /** Whether the node's calls have all ended (a drained livekit-sip exits once they have). */
  callsEnded(): Promise<boolean>;
  /** Updates the node: the new configs and images, livekit-sip started again. */
  update(): Promise<void>;
  /** Whether the node's livekit-sip and livekit-server answer their health checks. */
  healthy(): Promise<boolean>;
}

/** How long the roll waits, in milliseconds. */
export interface RollLimits {
  /** The longest call allowed: past it, a drain that has not ended goes on to the update anyway. */
  drainMs: number;
  /** How long an updated node has to answer its health checks. */
  healthMs: number;
  /** Pause between two polls of {@link NodeRollEffects.callsEnded} or {@link NodeRollEffects.healthy}. */
  pollMs: number;
}

/** Time, injected so tests need not wait. */
export interface RollClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: RollClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** One node to roll. */
export interface RollTarget {
  /** Node name for messages, e.g. `node-a`. */
  name: string;
  originationUrl: OriginationUrlRef;
  effects: NodeRollEffects;
}

/** What rolling one node did. */
export interface NodeRollReport {
  name: string;
  /** True when calls were still up at the longest-call limit, and the update went on without them ending. */
  drainLimitReached: boolean;
}

/** The steps of one node's roll, in order, as messages and the component's child names call them. */
export type RollStep = "disable-url" | "drain" | "update" | "health" | "enable-url";

/**
 * How on-call enables a node's origination URL again by hand, with Twilio's REST API. (The
 * program ignores later changes to `enabled` on origination URLs when it rolls, so this does not
 * show up as drift.)
 */
export function reenableCommand(url: OriginationUrlRef): string {
  return (
    `curl -X POST https://trunking.twilio.com/v1/Trunks/${url.trunkSid}/OriginationUrls/${url.sid} ` +
    `--data-urlencode Enabled=true -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"`
  );
}

/**
 * What a roll stopped at `step` of `node` leaves behind and how on-call gets out of it. The URL is
 * left disabled on purpose from the drain on: Twilio keeps sending calls to the nodes still serving.
 */
export function rollStoppedMessage(node: string, step: RollStep, url: OriginationUrlRef): string {
  const where = `rolling deploy stopped at ${node} (step ${step}); the nodes after it were not touched.`;
  if (step === "disable-url") {
    return `${where} Its origination URL ${url.sid} may still be enabled and nothing was drained: fix the cause and run \`pulumi up\` again.`;
  }
  return (
    `${where} Its origination URL ${url.sid} (trunk ${url.trunkSid}) stays disabled, so Twilio sends its calls to the other nodes. ` +
    `Fix the cause and run \`pulumi up\` again (the roll resumes at ${node}); or, once ${node} answers its health checks, ` +
    `enable the URL by hand: ${reenableCommand(url)}`
  );
}

/** A roll that failed at one node's step: carries the on-call message and the cause. */
export class RollStoppedError extends Error {
  constructor(
    readonly node: string,
    readonly step: RollStep,
    readonly url: OriginationUrlRef,
    readonly cause: unknown,
  ) {
    super(`${rollStoppedMessage(node, step, url)}\nCause: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "RollStoppedError";
  }
}

/** Polls `check` until it holds or `limitMs` has passed; true when it held. */
async function pollUntil(check: () => Promise<boolean>, limitMs: number, pollMs: number, clock: RollClock): Promise<boolean> {
  const deadline = clock.now() + limitMs;
  for (;;) {
    if (await check()) return true;
    if (clock.now() >= deadline) return false;
    await clock.sleep(pollMs);
  }
}

/**
 * Rolls one node: disables its origination URL, drains its livekit-sip until its calls have ended
 * (or the longest-call limit passed), updates it, waits until it is healthy and enables the URL
 * again. A failing step throws a {@link RollStoppedError} and leaves the URL disabled (except when
 * disabling it was what failed).
 */
export async function rollNode(target: RollTarget, limits: RollLimits, clock: RollClock = systemClock, log: (line: string) => void = () => {}): Promise<NodeRollReport> {
  const { name, originationUrl: url, effects } = target;
  const step = async <T>(which: RollStep, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new RollStoppedError(name, which, url, error);
    }
  };
  await step("disable-url", () => effects.setOriginationUrlEnabled(false));
  log(`${name}: origination URL ${url.sid} disabled`);
  const drainLimitReached = await step("drain", async () => {
    await effects.startDrain();
    return !(await pollUntil(() => effects.callsEnded(), limits.drainMs, limits.pollMs, clock));
  });
  log(
    drainLimitReached
      ? `${name}: calls still up after ${limits.drainMs} ms, the longest call allowed: updating anyway`
      : `${name}: drained, its calls have ended`,
  );
  await step("update", () => effects.update());
  await step("health", async () => {
    if (!(await pollUntil(() => effects.healthy(), limits.healthMs, limits.pollMs, clock))) {
      throw new Error(`${name} did not answer its health checks within ${limits.healthMs} ms of its update`);
    }
  });
  await step("enable-url", () => effects.setOriginationUrlEnabled(true));
  log(`${name}: healthy, origination URL ${url.sid} enabled`);
  return { name, drainLimitReached };
}

/**
 * Where the rolling deploy applies: with one node there is no other to take its calls, so its
 * origination URL is never disabled (the node's services drain on their own stop grace instead).
 */
export function rollsOneNodeAtATime(nodeCount: number): boolean {
  return nodeCount >= 2;
}

/**
 * Rolls `targets` one after another, never two out at once; the first failure stops the roll and
 * the nodes after it are not touched.
 */
export async function rollNodes(targets: readonly RollTarget[], limits: RollLimits, clock: RollClock = systemClock, log?: (line: string) => void): Promise<NodeRollReport[]> {
  if (!rollsOneNodeAtATime(targets.length)) {
    throw new Error(`a rolling deploy needs at least 2 nodes, got ${targets.length}: with one node, disabling its origination URL would refuse every inbound call`);
  }
  const reports: NodeRollReport[] = [];
  for (const target of targets) reports.push(await rollNode(target, limits, clock, log));
  return reports;
}
