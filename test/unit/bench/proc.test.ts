import { parseMachineCpu, parseProcStat, parsePssKb, parseVmRssKb } from "../../../bench/proc-stat";
import {
  type ProcessSample,
  type TreeSample,
  cpuSecondsBetween,
  machineBusyCores,
  perCall,
  processTree,
  startCpuSeconds,
  sumUsage,
  usageBetween,
} from "../../../bench/process-usage";

// A real /proc/<pid>/stat line (fields 14/15 utime/stime, 22 starttime), with a name holding
// spaces and parentheses as `prctl(PR_SET_NAME)` allows.
const statLine =
  "4242 (node (job) x) S 4200 4100 4100 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 11 0 339340 1181614080 30000 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0";

describe("parseProcStat", () => {
  it("reads pid, name, parent, group, CPU ticks and start time, with ')' inside the name", () => {
    expect(parseProcStat(statLine)).toEqual({
      pid: 4242,
      comm: "node (job) x",
      ppid: 4200,
      pgrp: 4100,
      utimeTicks: 1234,
      stimeTicks: 567,
      startTicks: 339340,
    });
  });

  it("refuses text that is not a stat line, quoting it", () => {
    expect(() => parseProcStat("no parentheses here")).toThrow('not a /proc/<pid>/stat line (no "(name)" field): "no parentheses here"');
    expect(() => parseProcStat("12 (short) S 1 2")).toThrow("/proc/<pid>/stat field 14 is missing or not a number");
  });
});

describe("parsePssKb", () => {
  it("reads the proportional set size of smaps_rollup, not its split into anonymous and file pages", () => {
    const rollup =
      "55d0c0000000-7ffc2d5ff000 ---p 00000000 00:00 0                          [rollup]\n" +
      "Rss:              137416 kB\nPss:               75135 kB\nPss_Dirty:         64000 kB\nPss_Anon:          64732 kB\nPss_File:          10403 kB\n";
    expect(parsePssKb(rollup)).toBe(75135);
  });

  it("is 0 for a kernel thread, whose rollup has no Pss line", () => {
    expect(parsePssKb("")).toBe(0);
  });
});

describe("parseVmRssKb", () => {
  it("reads VmRSS in KiB from /proc/<pid>/status", () => {
    expect(parseVmRssKb("Name:\tnode\nVmHWM:\t  120000 kB\nVmRSS:\t  104832 kB\nThreads:\t11\n")).toBe(104832);
  });

  it("is 0 for kernel threads and zombies, which have no VmRSS line", () => {
    expect(parseVmRssKb("Name:\tkthreadd\nState:\tS (sleeping)\n")).toBe(0);
  });
});

// Half of each process's resident pages are shared with another process.
const proc = (pid: number, ppid: number, cpuTicks: number, rssKb = 1024, startTicks = 100): ProcessSample => ({
  pid,
  ppid,
  startTicks,
  cpuTicks,
  rssKb,
  pssKb: rssKb * 0.75,
});

describe("processTree", () => {
  it("is the root and all its descendants (a worker and its forked job processes), nothing else", () => {
    const all = [proc(1, 0, 0), proc(10, 1, 5), proc(11, 10, 5), proc(12, 11, 5), proc(13, 11, 5), proc(20, 1, 5)];
    expect(processTree(10, all).map((p) => p.pid)).toEqual([10, 11, 12, 13]);
  });

  it("is empty when the root is gone", () => {
    expect(processTree(99, [proc(1, 0, 0)])).toEqual([]);
  });
});

describe("CPU and memory between samples", () => {
  const before: TreeSample = { atMs: 1_000, processes: [proc(10, 1, 100), proc(11, 10, 50), proc(12, 10, 70)] };
  const after: TreeSample = {
    atMs: 3_000,
    // 11 grew by 30 ticks; 12 exited; 13 started since (all its 40 ticks count); 11's pid was not reused.
    processes: [proc(10, 1, 110, 2048), proc(11, 10, 80, 1024), proc(13, 10, 40, 1024, 500)],
  };

  it("counts each process's growth, all of a new one's time, and nothing for one that exited", () => {
    expect(cpuSecondsBetween(before, after, 100)).toBeCloseTo((10 + 30 + 40) / 100);
  });

  it("does not mistake a new process reusing a pid for the old one", () => {
    const reused: TreeSample = { atMs: 3_000, processes: [proc(12, 10, 5, 1024, 999)] };
    expect(cpuSecondsBetween(before, reused, 100)).toBeCloseTo(0.05);
  });

  it("gives cores busy per wall-clock second and the memory at the end, resident and proportional", () => {
    expect(usageBetween(before, after, 100)).toEqual({ cpuCores: 0.4, rssMb: 4, pssMb: 3 });
    expect(() => usageBetween(after, before, 100)).toThrow("samples must be taken at increasing times");
  });

  it("gives what one call adds over idle, never below zero", () => {
    const one = perCall({ cpuCores: 0.1, rssMb: 800, pssMb: 500 }, { cpuCores: 0.9, rssMb: 1600, pssMb: 900 }, 8);
    expect(one.cpuCores).toBeCloseTo(0.1);
    expect(one.rssMb).toBeCloseTo(100);
    expect(one.pssMb).toBeCloseTo(50);
    expect(perCall({ cpuCores: 0.5, rssMb: 900, pssMb: 600 }, { cpuCores: 0.4, rssMb: 800, pssMb: 500 }, 2)).toEqual({ cpuCores: 0, rssMb: 0, pssMb: 0 });
    expect(() => perCall({ cpuCores: 0, rssMb: 0, pssMb: 0 }, { cpuCores: 0, rssMb: 0, pssMb: 0 }, 0)).toThrow("at least one call");
  });
});

describe("startCpuSeconds", () => {
  it("is an idle process's CPU time minus what it used idling since it started, averaged", () => {
    // At 1000 s after boot: one started at 990 s (age 10 s) with 1.10 CPU-s, one at 995 s with 0.95 CPU-s;
    // idling costs 0.01 core, so they took 1.00 and 0.90 CPU-s to start.
    const processes = [proc(1, 0, 110, 0, 99_000), proc(2, 0, 95, 0, 99_500)];
    expect(startCpuSeconds(processes, 0.01, 1_000, 100)).toBeCloseTo(0.95);
  });

  it("is undefined without idle processes and never negative", () => {
    expect(startCpuSeconds([], 0.01, 1_000, 100)).toBeUndefined();
    expect(startCpuSeconds([proc(1, 0, 1, 0, 0)], 0.5, 1_000, 100)).toBe(0);
  });
});

describe("the whole machine's CPU", () => {
  const stat = (user: number, idle: number) =>
    `cpu  ${user} 10 200 ${idle} 40 0 5 5 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 12345\n`;

  it("reads busy (user, nice, system, irq, softirq, steal) and total ticks from /proc/stat's cpu line", () => {
    expect(parseMachineCpu(stat(1000, 5000))).toEqual({ busy: 1000 + 10 + 200 + 0 + 5 + 5, total: 1220 + 5000 + 40 });
    expect(() => parseMachineCpu("intr 1 2 3")).toThrow('no "cpu" line in /proc/stat text');
  });

  it("gives the cores kept busy between two readings", () => {
    // 150 busy ticks of 200 across 2 CPUs: 1.5 cores.
    expect(machineBusyCores({ busy: 1000, total: 4000 }, { busy: 1150, total: 4200 }, 2)).toBeCloseTo(1.5);
    expect(machineBusyCores({ busy: 1, total: 2 }, { busy: 1, total: 2 }, 2)).toBe(0);
  });
});

describe("sumUsage", () => {
  it("adds the CPU and memory of the same server on several nodes", () => {
    const sum = sumUsage([
      { cpuCores: 0.25, rssMb: 100, pssMb: 70 },
      { cpuCores: 0.5, rssMb: 60, pssMb: 40 },
    ]);
    expect(sum.cpuCores).toBeCloseTo(0.75);
    expect(sum.rssMb).toBe(160);
    expect(sum.pssMb).toBe(110);
    expect(sumUsage([])).toEqual({ cpuCores: 0, rssMb: 0, pssMb: 0 });
  });
});
