/**
 * The two-node capacity run beside the one-node run, as markdown (bench/results/two-node.md):
 * calls held per node and per vCPU, which node's livekit-sip dialed and which node's worker took
 * the calls, and each node's process usage. Pure.
 */
import { type CapacityResult, MEASURED_SERVERS, type MeasuredServer } from "./capacity-result";
import type { MachineInfo } from "./machine";
import type { Usage } from "./process-usage";
import { capacitySection, header, machineSection, percentOfCore, row, usageCell } from "./report";

/** One capacity ramp and what it ran on. */
export interface CapacityRun {
  /** `one node`, `two nodes`. */
  label: string;
  capacity: CapacityResult;
}

/** The two-node part of one `npm run bench`. */
export interface TwoNodeResults {
  startedAt: Date;
  durationMs: number;
  machine: MachineInfo;
  oneNode: CapacityResult;
  twoNodes: CapacityResult;
}

/** The level a ramp held, spread over its nodes and over the machine's vCPUs. */
export interface HeldPerNode {
  /** The largest level held (target concurrent calls). */
  held: number;
  /** Calls actually up during that level's window, on average. */
  concurrency: number;
  perNode: number;
  perVcpu: number;
}

/** Calls held per node and per vCPU (from the level's target), or undefined when no level was held. */
export function heldPerNode(capacity: CapacityResult, cores: number): HeldPerNode | undefined {
  const held = capacity.held;
  if (!held) return undefined;
  return { held: held.target, concurrency: held.concurrency, perNode: held.target / capacity.nodes.length, perVcpu: held.target / cores };
}

/** Each node's count out of the whole, as `node-a 12 (55 %)`; nodes never named count 0. */
export function shareText(counts: Readonly<Record<string, number>>, nodes: readonly string[]): string {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return nodes
    .map((node) => {
      const count = counts[node] ?? 0;
      return total === 0 ? `${node} 0` : `${node} ${count} (${Math.round((100 * count) / total)} %)`;
    })
    .join(", ");
}

const serverTotal = (usage: Record<MeasuredServer, Usage>) => MEASURED_SERVERS.reduce((sum, s) => sum + usage[s].cpuCores, 0);

/** A comparison row: level held, calls per node and per vCPU, the servers' and the machine's CPU at that level. */
export function comparisonRow(run: CapacityRun, cores: number): string {
  const per = heldPerNode(run.capacity, cores);
  const held = run.capacity.held;
  if (!per || !held) return row([run.label, String(run.capacity.nodes.length), "none", "", "", "", "", ""]);
  return row([
    run.label,
    String(run.capacity.nodes.length),
    `**${per.held}**`,
    per.concurrency.toFixed(1),
    `**${per.perNode.toFixed(1)}**`,
    `**${per.perVcpu.toFixed(1)}**`,
    percentOfCore(serverTotal(held.usage)),
    percentOfCore(held.machineCores),
  ]);
}

/** Each node's servers at idle and at the level held: CPU / PSS (RSS). */
function perNodeUsageRows(capacity: CapacityResult): string[] {
  const cells = (usage: Record<MeasuredServer, Usage>) => MEASURED_SERVERS.map((s) => usageCell(usage[s]));
  const held = capacity.held;
  return capacity.nodes.flatMap((node, i) => [
    row([node, "idle", ...cells(capacity.idleByNode[i])]),
    ...(held ? [row([node, `${held.target} calls`, ...cells(held.usageByNode[i])])] : []),
  ]);
}

/** Renders bench/results/two-node.md. */
export function renderTwoNodeReport(results: TwoNodeResults): string {
  const cores = results.machine.cores;
  const runs: CapacityRun[] = [
    { label: "one node", capacity: results.oneNode },
    { label: "two nodes", capacity: results.twoNodes },
  ];
  const two = results.twoNodes;
  const sections = [
    ["# Two-node capacity (`npm run bench -- --only two-node`)", "", ...machineSection(results)],
    [
      "## One node and two nodes, side by side",
      "",
      `**Both nodes run on this one machine and share its ${cores} cores**: two livekit-servers, two livekit-sips ` +
        "(SIP on 127.0.0.2 and 127.0.0.3) and a worker per node, registered with its own node's livekit-server, one Redis with " +
        "AUTH, one carrier. The two-node figure is therefore no capacity of two machines: it shows what running two nodes costs " +
        "on the same cores. Compare the runs per node and per vCPU; two real nodes each have their own vCPUs.",
      "",
      "The same ramp as the one-node run (bench/capacity.ts); on two nodes the calls are dispatched through node A's and " +
        "node B's API in turn, as a load balancer spreads backends. Calls per node and per vCPU are from the level held.",
      "",
      ...header(["run", "nodes", "level held", "calls up (avg)", "calls per node", `calls per vCPU (${cores})`, "servers' CPU", "whole machine CPU"]),
      ...runs.map((run) => comparisonRow(run, cores)),
      "",
      "Which node did the work, over the whole two-node ramp (livekit-sip takes an outbound call by a race on the Redis bus, " +
        "not by load; livekit-server hands a job to any registered worker, whichever node's API created it):",
      "",
      `- dialed by each node's livekit-sip (the carrier saw the INVITE from its address): ${shareText(two.dialedBy, two.nodes)}`,
      `- taken by each node's worker: ${shareText(two.workerOf, two.nodes)}`,
      "",
      "Each node's processes (CPU in % of one core / proportional memory (resident memory)):",
      "",
      ...header(["node", "at", ...MEASURED_SERVERS]),
      ...perNodeUsageRows(two),
    ],
    capacitySection(results.oneNode, results.machine.cores, "## The one-node ramp"),
    capacitySection(two, results.machine.cores, "## The two-node ramp (both nodes together)"),
  ];
  return `${sections.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}
