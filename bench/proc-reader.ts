/**
 * Samples process trees from /proc (Linux only).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { type MachineCpuTicks, parseMachineCpu, parseProcStat, parsePssKb, parseVmRssKb } from "./proc-stat";
import { type ProcessSample, type TreeSample, processTree } from "./process-usage";

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 on Linux). */
export function clockTicksPerSecond(): number {
  return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
}

/** Every process readable right now; processes that end while being read are skipped. */
export function readAllProcesses(): ProcessSample[] {
  const samples: ProcessSample[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = parseProcStat(readFileSync(`/proc/${entry}/stat`, "utf8"));
      const rssKb = parseVmRssKb(readFileSync(`/proc/${entry}/status`, "utf8"));
      samples.push({
        pid: stat.pid,
        ppid: stat.ppid,
        startTicks: stat.startTicks,
        cpuTicks: stat.utimeTicks + stat.stimeTicks,
        rssKb,
        pssKb: 0,
      });
    } catch {
      // The process exited between listing and reading.
    }
  }
  return samples;
}

/** `process` with its proportional memory read (0 if it is gone); read per tree, not for all of /proc, as it walks the page tables. */
function withPss(process: ProcessSample): ProcessSample {
  try {
    return { ...process, pssKb: parsePssKb(readFileSync(`/proc/${process.pid}/smaps_rollup`, "utf8")) };
  } catch {
    return process;
  }
}

/** The trees rooted at each of `roots` (by name), from one pass over /proc. */
export function sampleTrees<K extends string>(roots: Record<K, number>): Record<K, TreeSample> {
  const all = readAllProcesses();
  const atMs = performance.now();
  return Object.fromEntries(
    (Object.entries(roots) as [K, number][]).map(([name, pid]) => [name, { atMs, processes: processTree(pid, all).map(withPss) }]),
  ) as Record<K, TreeSample>;
}

/** The command line of `pid` (arguments joined by spaces), or "" if it is gone. */
export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Seconds since boot, the clock /proc's process start times count from. */
export function uptimeSeconds(): number {
  return Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
}

/** The whole machine's CPU ticks so far. */
export function readMachineCpu(): MachineCpuTicks {
  return parseMachineCpu(readFileSync("/proc/stat", "utf8"));
}
