import type { CapacityResult, LevelResult } from "../../../bench/capacity-result";
import { comparisonRow, heldPerNode, renderTwoNodeReport, shareText } from "../../../bench/two-node-report";
import { capacityResult, expectToContainAll, machine, usage } from "./fixtures";

const servers = (sip: number, server: number, worker: number) => ({
  "livekit-sip": usage(sip, 60),
  "livekit-server": usage(server, 80),
  worker: usage(worker, 1000),
});

function level(target: number, byNode: ReturnType<typeof servers>[], failed = 0): LevelResult {
  const sum = (s: "livekit-sip" | "livekit-server" | "worker") => ({
    cpuCores: byNode.reduce((t, n) => t + n[s].cpuCores, 0),
    rssMb: byNode.reduce((t, n) => t + n[s].rssMb, 0),
    pssMb: byNode.reduce((t, n) => t + n[s].pssMb, 0),
  });
  return {
    target,
    concurrency: target - 0.2,
    calls: target * 2,
    failures: Array.from({ length: failed }, (_, i) => ({ callId: `cap-${i}`, reason: "not answered" })),
    usage: { "livekit-sip": sum("livekit-sip"), "livekit-server": sum("livekit-server"), worker: sum("worker") },
    usageByNode: byNode,
    machineCores: 1.8,
  };
}

function ramp(nodes: string[], levels: LevelResult[], shares: Record<string, number>): CapacityResult {
  const idle = nodes.map(() => servers(0, 0.01, 0.02));
  return capacityResult({
    nodes,
    idle: level(0, idle).usage,
    idleByNode: idle,
    levels,
    held: levels[levels.length - 2],
    stoppedBecause: `a call failed at ${levels[levels.length - 1].target} target concurrent calls`,
    dialedBy: shares,
    workerOf: shares,
  });
}

const oneNode = ramp(["local"], [level(8, [servers(0.1, 0.05, 1.2)]), level(10, [servers(0.1, 0.05, 1.4)], 1)], { local: 30 });
const twoNodes = ramp(
  ["node-a", "node-b"],
  [level(6, [servers(0.05, 0.05, 0.5), servers(0.05, 0.04, 0.6)]), level(8, [servers(0.1, 0.05, 0.8), servers(0.1, 0.05, 0.8)], 2)],
  { "node-a": 9, "node-b": 3 },
);

describe("heldPerNode", () => {
  it("spreads the level held over the nodes and over the machine's vCPUs", () => {
    expect(heldPerNode(oneNode, 2)).toEqual({ held: 8, concurrency: 7.8, perNode: 8, perVcpu: 4 });
    expect(heldPerNode(twoNodes, 2)).toEqual({ held: 6, concurrency: 5.8, perNode: 3, perVcpu: 3 });
  });

  it("is undefined when no level was held", () => {
    expect(heldPerNode({ ...oneNode, held: undefined }, 2)).toBeUndefined();
  });
});

describe("shareText", () => {
  it("gives each node's count and share, naming nodes that took none", () => {
    expect(shareText({ "node-a": 9, "node-b": 3 }, ["node-a", "node-b"])).toBe("node-a 9 (75 %), node-b 3 (25 %)");
    expect(shareText({ "node-a": 4 }, ["node-a", "node-b"])).toBe("node-a 4 (100 %), node-b 0 (0 %)");
    expect(shareText({}, ["node-a", "node-b"])).toBe("node-a 0, node-b 0");
  });
});

describe("comparisonRow", () => {
  it("gives the level held, calls per node and per vCPU, and the servers' and machine's CPU at that level", () => {
    expect(comparisonRow({ label: "two nodes", capacity: twoNodes }, 2)).toBe(
      "| two nodes | 2 | **6** | 5.8 | **3.0** | **3.0** | 129.0 % | 180.0 % |",
    );
  });

  it("says none when no level was held", () => {
    expect(comparisonRow({ label: "one node", capacity: { ...oneNode, held: undefined } }, 2)).toBe("| one node | 1 | none |  |  |  |  |  |");
  });
});

describe("renderTwoNodeReport", () => {
  const report = renderTwoNodeReport({ startedAt: new Date("2026-12-02T17:00:00Z"), durationMs: 12 * 60_000, machine, oneNode, twoNodes });

  it("sets both runs side by side and says the nodes share the machine's cores", () => {
    expectToContainAll(
      report,
      "**Both nodes run on this one machine and share its 2 cores**",
      "| one node | 1 | **8** | 7.8 | **8.0** | **4.0** |",
      "| two nodes | 2 | **6** | 5.8 | **3.0** | **3.0** |",
    );
  });

  it("reports which node's livekit-sip dialed and whose worker took the calls, and each node's processes", () => {
    expectToContainAll(
      report,
      "dialed by each node's livekit-sip (the carrier saw the INVITE from its address): node-a 9 (75 %), node-b 3 (25 %)",
      "taken by each node's worker: node-a 9 (75 %), node-b 3 (25 %)",
      "| node-a | idle | 0.0 % / 60 MB (120 MB) | 1.0 % / 80 MB (160 MB) | 2.0 % / 1000 MB (2000 MB) |",
      "| node-b | 6 calls | 5.0 % / 60 MB (120 MB) | 4.0 % / 80 MB (160 MB) | 60.0 % / 1000 MB (2000 MB) |",
    );
  });

  it("keeps each ramp's own table", () => {
    expectToContainAll(
      report,
      "## The one-node ramp",
      "## The two-node ramp (both nodes together)",
      "The ramp stopped: a call failed at 8 target concurrent calls.",
    );
  });
});
