import {
  type NodeRollEffects,
  reenableCommand,
  type RollClock,
  type RollLimits,
  rollNode,
  rollNodes,
  RollStoppedError,
  rollStoppedMessage,
  rollsOneNodeAtATime,
  type RollTarget,
} from "../../../../components/rolling-deploy/node-roll";

const limits: RollLimits = { drainMs: 1_800_000, healthMs: 300_000, pollMs: 5_000 };

/** A clock whose sleeps advance time at once. */
function fakeClock(): RollClock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

interface FakeNode {
  target: RollTarget;
  /** Every effect called, in order, across all nodes sharing `journal`. */
  journal: string[];
}

/**
 * A node whose effects record themselves in `journal`: its calls end after `drainPolls` polls and
 * it turns healthy after `healthPolls` polls (Infinity: never); `failing` makes that effect throw.
 */
function fakeNode(
  name: string,
  journal: string[],
  options: { drainPolls?: number; healthPolls?: number; failing?: keyof NodeRollEffects | "disable" | "enable" } = {},
): FakeNode {
  const { drainPolls = 2, healthPolls = 1, failing } = options;
  let drainPolled = 0;
  let healthPolled = 0;
  const record = (what: string, fails = false) => {
    journal.push(`${name} ${what}`);
    if (fails) throw new Error(`${what} failed on ${name}`);
  };
  const effects: NodeRollEffects = {
    async setOriginationUrlEnabled(enabled) {
      record(enabled ? "enable-url" : "disable-url", failing === (enabled ? "enable" : "disable"));
    },
    async startDrain() {
      record("start-drain", failing === "startDrain");
    },
    async callsEnded() {
      drainPolled += 1;
      return drainPolled > drainPolls;
    },
    async update() {
      record("update", failing === "update");
    },
    async healthy() {
      healthPolled += 1;
      return healthPolled > healthPolls;
    },
  };
  return { target: { name, originationUrl: { trunkSid: "TK0001", sid: `OU-${name}` }, effects }, journal };
}

describe("rollNode", () => {
  it("disables the URL, drains until the calls have ended, updates, waits for health, then enables the URL", async () => {
    const journal: string[] = [];
    const lines: string[] = [];
    const report = await rollNode(fakeNode("node-a", journal).target, limits, fakeClock(), (line) => lines.push(line));
    expect(report).toEqual({ name: "node-a", drainLimitReached: false });
    expect(journal).toEqual(["node-a disable-url", "node-a start-drain", "node-a update", "node-a enable-url"]);
    expect(lines).toEqual(["node-a: origination URL OU-node-a disabled", "node-a: drained, its calls have ended", "node-a: healthy, origination URL OU-node-a enabled"]);
  });

  it("goes on to the update once the longest-call limit has passed with calls still up, and says so", async () => {
    const journal: string[] = [];
    const lines: string[] = [];
    const report = await rollNode(fakeNode("node-a", journal, { drainPolls: Infinity }).target, limits, fakeClock(), (line) => lines.push(line));
    expect(report).toEqual({ name: "node-a", drainLimitReached: true });
    expect(journal).toEqual(["node-a disable-url", "node-a start-drain", "node-a update", "node-a enable-url"]);
    expect(lines).toContain("node-a: calls still up after 1800000 ms, the longest call allowed: updating anyway");
  });

  it("stops when the URL cannot be disabled: nothing drained, and says the URL may still be enabled", async () => {
    const journal: string[] = [];
    const roll = rollNode(fakeNode("node-a", journal, { failing: "disable" }).target, limits, fakeClock());
    await expect(roll).rejects.toThrow(RollStoppedError);
    await expect(roll).rejects.toThrow(
      "rolling deploy stopped at node-a (step disable-url); the nodes after it were not touched. Its origination URL OU-node-a may still be enabled and nothing was drained",
    );
    await expect(roll).rejects.toThrow("Cause: disable-url failed on node-a");
    expect(journal).toEqual(["node-a disable-url"]);
  });

  it("stops when the drain cannot start, leaving the URL disabled, and tells how to enable it", async () => {
    const journal: string[] = [];
    const error = await rollNode(fakeNode("node-a", journal, { failing: "startDrain" }).target, limits, fakeClock()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollStoppedError);
    expect((error as RollStoppedError).step).toBe("drain");
    expect((error as Error).message).toContain("Its origination URL OU-node-a (trunk TK0001) stays disabled");
    expect((error as Error).message).toContain(reenableCommand({ trunkSid: "TK0001", sid: "OU-node-a" }));
    expect(journal).toEqual(["node-a disable-url", "node-a start-drain"]);
  });

  it("stops when the node never answers its health checks after the update: the URL stays disabled", async () => {
    const journal: string[] = [];
    const error = await rollNode(fakeNode("node-a", journal, { healthPolls: Infinity }).target, limits, fakeClock()).catch((e: unknown) => e);
    expect((error as RollStoppedError).step).toBe("health");
    expect((error as Error).message).toContain("Cause: node-a did not answer its health checks within 300000 ms of its update");
    expect((error as Error).message).toContain("stays disabled");
    expect(journal).toEqual(["node-a disable-url", "node-a start-drain", "node-a update"]);
  });

  it("stops when the update fails, before any health check, with the URL disabled", async () => {
    const journal: string[] = [];
    await expect(rollNode(fakeNode("node-a", journal, { failing: "update" }).target, limits, fakeClock())).rejects.toMatchObject({ step: "update" });
    expect(journal).toEqual(["node-a disable-url", "node-a start-drain", "node-a update"]);
  });

  it("reports a URL that could not be enabled again as a stopped roll", async () => {
    const journal: string[] = [];
    await expect(rollNode(fakeNode("node-a", journal, { failing: "enable" }).target, limits, fakeClock())).rejects.toMatchObject({ step: "enable-url" });
  });
});

describe("rollNodes", () => {
  it("rolls the nodes one after another: the next node's URL is disabled only once the previous one's is enabled again", async () => {
    const journal: string[] = [];
    const reports = await rollNodes([fakeNode("node-a", journal).target, fakeNode("node-b", journal).target], limits, fakeClock());
    expect(reports.map((r) => r.name)).toEqual(["node-a", "node-b"]);
    expect(journal).toEqual([
      "node-a disable-url",
      "node-a start-drain",
      "node-a update",
      "node-a enable-url",
      "node-b disable-url",
      "node-b start-drain",
      "node-b update",
      "node-b enable-url",
    ]);
  });

  it("never has two nodes out: a failure on one node leaves every later node untouched", async () => {
    const journal: string[] = [];
    const nodes = [fakeNode("node-a", journal), fakeNode("node-b", journal, { healthPolls: Infinity }), fakeNode("node-c", journal)];
    await expect(rollNodes(nodes.map((n) => n.target), limits, fakeClock())).rejects.toMatchObject({ node: "node-b", step: "health" });
    expect(journal.filter((line) => line.startsWith("node-c"))).toEqual([]);
    expect(journal.at(-1)).toBe("node-b update");
  });

  it("refuses to roll a single node: disabling its only URL would refuse every inbound call", async () => {
    const journal: string[] = [];
    await expect(rollNodes([fakeNode("node-a", journal).target], limits, fakeClock())).rejects.toThrow(
      "a rolling deploy needs at least 2 nodes, got 1: with one node, disabling its origination URL would refuse every inbound call",
    );
    expect(journal).toEqual([]);
  });
});

describe("rollsOneNodeAtATime", () => {
  it.each([
    [0, false],
    [1, false],
    [2, true],
    [5, true],
  ])("with %i nodes: %s", (nodes, expected) => expect(rollsOneNodeAtATime(nodes)).toBe(expected));
});

describe("rollStoppedMessage", () => {
  it("names the node, the step, the URL left disabled and Twilio's REST call that enables it", () => {
    expect(rollStoppedMessage("node-b", "health", { trunkSid: "TKabc", sid: "OUdef" })).toBe(
      "rolling deploy stopped at node-b (step health); the nodes after it were not touched. " +
        "Its origination URL OUdef (trunk TKabc) stays disabled, so Twilio sends its calls to the other nodes. " +
        "Fix the cause and run `pulumi up` again (the roll resumes at node-b); or, once node-b answers its health checks, enable the URL by hand: " +
        'curl -X POST https://trunking.twilio.com/v1/Trunks/TKabc/OriginationUrls/OUdef --data-urlencode Enabled=true -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"',
    );
  });
});
