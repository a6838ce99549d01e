/**
 * CPU and memory of a server's process tree between two samples, and per call. Pure: the
 * samples come from {@link ../proc-reader}.
 */

/** One process as sampled from /proc. */
export interface ProcessSample {
  pid: number;
  ppid: number;
  /** Start time after boot in clock ticks: tells a process from a later one reusing its pid. */
  startTicks: number;
  /** User + kernel CPU time so far, in clock ticks. */
  cpuTicks: number;
  /** Resident memory, KiB (pages shared with other processes count in full). */
  rssKb: number;
  /** Proportional memory, KiB: each shared page split among the processes mapping it; 0 when not read. */
  pssKb: number;
}

/** A process tree at one moment. */
export interface TreeSample {
  /** Wall-clock time of the sample, milliseconds (any monotonic origin). */
  atMs: number;
  /** The root and all its descendants alive at that moment. */
  processes: ProcessSample[];
}

/** Average CPU and memory of a process tree over an interval. */
export interface Usage {
  /** CPU time per wall-clock second: 1.0 = one core fully busy. */
  cpuCores: number;
  /** Resident memory at the end of the interval, MiB (shared pages count once per process). */
  rssMb: number;
  /** Proportional memory at the end of the interval, MiB: what the machine holds for the tree. */
  pssMb: number;
}

/**
 * `rootPid` and every process descending from it, from a sample of all processes. The worker
 * forks a process per job, so its tree, not its pid, holds its cost.
 */
export function processTree(rootPid: number, all: readonly ProcessSample[]): ProcessSample[] {
  const children = new Map<number, ProcessSample[]>();
  for (const process of all) {
    children.set(process.ppid, [...(children.get(process.ppid) ?? []), process]);
  }
  const root = all.find((p) => p.pid === rootPid);
  if (!root) return [];
  const tree: ProcessSample[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const next = queue.shift() as ProcessSample;
    tree.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return tree;
}

/**
 * CPU seconds a tree used between two samples: each process's growth since `before`, or all of
 * its time if it started since. A process that ended between the samples is not counted (its
 * last ticks are lost), so sample intervals should lie inside a steady phase.
 */
export function cpuSecondsBetween(before: TreeSample, after: TreeSample, ticksPerSecond: number): number {
  const earlier = new Map(before.processes.map((p) => [`${p.pid}@${p.startTicks}`, p.cpuTicks]));
  let ticks = 0;
  for (const process of after.processes) {
    ticks += process.cpuTicks - (earlier.get(`${process.pid}@${process.startTicks}`) ?? 0);
  }
  return ticks / ticksPerSecond;
}

/** Average CPU and end memory of a tree between two samples taken at different times. */
export function usageBetween(before: TreeSample, after: TreeSample, ticksPerSecond: number): Usage {
  const seconds = (after.atMs - before.atMs) / 1000;
  if (!(seconds > 0)) {
    throw new Error(`samples must be taken at increasing times (got ${before.atMs} then ${after.atMs} ms)`);
  }
  return {
    cpuCores: cpuSecondsBetween(before, after, ticksPerSecond) / seconds,
    rssMb: after.processes.reduce((sum, p) => sum + p.rssKb, 0) / 1024,
    pssMb: after.processes.reduce((sum, p) => sum + p.pssKb, 0) / 1024,
  };
}

/** Several trees' usage together (the same server on several nodes). */
export function sumUsage(usages: readonly Usage[]): Usage {
  return {
    cpuCores: usages.reduce((sum, u) => sum + u.cpuCores, 0),
    rssMb: usages.reduce((sum, u) => sum + u.rssMb, 0),
    pssMb: usages.reduce((sum, u) => sum + u.pssMb, 0),
  };
}

/**
 * What one call adds: the usage with `calls` calls held minus the idle usage, divided by the
 * calls (never below zero: an idle phase busier than the loaded one is noise, not free calls).
 */
export function perCall(idle: Usage, loaded: Usage, calls: number): Usage {
  if (!(calls > 0)) {
    throw new Error(`per-call usage needs at least one call (got ${calls})`);
  }
  return {
    cpuCores: Math.max(0, loaded.cpuCores - idle.cpuCores) / calls,
    rssMb: Math.max(0, loaded.rssMb - idle.rssMb) / calls,
    pssMb: Math.max(0, loaded.pssMb - idle.pssMb) / calls,
  };
}

/**
 * CPU seconds it took to start an idle process: what it used in all, minus what it has used
 * since while idle (`idleCores` × its age). Processes sampled at `uptime` seconds after boot;
 * returns their mean, or undefined for none.
 */
export function startCpuSeconds(
  processes: readonly ProcessSample[],
  idleCores: number,
  uptime: number,
  ticksPerSecond: number,
): number | undefined {
  if (processes.length === 0) return undefined;
  const costs = processes.map((p) => {
    const age = uptime - p.startTicks / ticksPerSecond;
    return Math.max(0, p.cpuTicks / ticksPerSecond - idleCores * age);
  });
  return costs.reduce((a, b) => a + b, 0) / costs.length;
}

/**
 * Cores the whole machine kept busy between two readings of its CPU ticks (every process, not only
 * the stack's): what tells a quiet run from one sharing the machine with other work.
 */
export function machineBusyCores(before: { busy: number; total: number }, after: { busy: number; total: number }, cores: number): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * cores : 0;
}
