/**
 * Parsing of Linux's per-process files `/proc/<pid>/stat` and `/proc/<pid>/status` (proc(5)).
 * Pure: the caller reads the files.
 */

/** The fields of `/proc/<pid>/stat` the benchmark uses. */
export interface ProcStat {
  pid: number;
  /** Executable name, without the parentheses (may hold spaces and parentheses itself). */
  comm: string;
  /** Parent's pid. */
  ppid: number;
  /** Process group. */
  pgrp: number;
  /** CPU time in user mode, in clock ticks (`getconf CLK_TCK` per second). */
  utimeTicks: number;
  /** CPU time in kernel mode, in clock ticks. */
  stimeTicks: number;
  /** Time the process started after boot, in clock ticks: with the pid, identifies one process. */
  startTicks: number;
}

/**
 * Parses one `/proc/<pid>/stat` line. The name (field 2) is read up to the LAST `)`, since a
 * process may name itself with spaces or parentheses; the numbered fields follow it.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) {
    throw new Error(`not a /proc/<pid>/stat line (no "(name)" field): ${JSON.stringify(text.slice(0, 80))}`);
  }
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (rest[n - 3] === undefined || !Number.isFinite(value)) {
      throw new Error(`/proc/<pid>/stat field ${n} is missing or not a number in ${JSON.stringify(text.slice(0, 80))}`);
    }
    return value;
  };
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    ppid: field(4),
    pgrp: field(5),
    utimeTicks: field(14),
    stimeTicks: field(15),
    startTicks: field(22),
  };
}

/**
 * Resident memory of a process in KiB, from `/proc/<pid>/status`'s `VmRSS` line. Kernel threads
 * and zombies have no such line: 0.
 */
export function parseVmRssKb(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  return match ? Number(match[1]) : 0;
}

/**
 * Proportional memory of a process in KiB, from `/proc/<pid>/smaps_rollup`'s `Pss` line: a page
 * mapped by n processes counts 1/n to each, so a tree's sum is what the machine holds for it
 * (VmRSS counts the Node binary's and the native libraries' shared pages once in every job
 * process). Kernel threads have no such line: 0.
 */
export function parsePssKb(smapsRollupText: string): number {
  const match = /^Pss:\s+(\d+)\s+kB$/m.exec(smapsRollupText);
  return match ? Number(match[1]) : 0;
}

/** CPU time of the whole machine, summed over its CPUs, in clock ticks (the `cpu` line of `/proc/stat`). */
export interface MachineCpuTicks {
  /** Ticks spent on anything but idling or waiting for I/O. */
  busy: number;
  /** All ticks. */
  total: number;
}

/** Reads the first (`cpu `, all CPUs together) line of `/proc/stat`. */
export function parseMachineCpu(statText: string): MachineCpuTicks {
  const line = /^cpu\s+([\d\s]+)$/m.exec(statText);
  if (!line) {
    throw new Error(`no "cpu" line in /proc/stat text: ${JSON.stringify(statText.slice(0, 80))}`);
  }
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line[1].trim().split(/\s+/).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}
