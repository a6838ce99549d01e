/**
 * The machine and the versions a benchmark ran with, for the results file.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { versions } from "../components/versions";
import { repoRoot, systemBinaries } from "../test/harness/binaries";
import { workerDir } from "../test/harness/worker";

/** Where the benchmark ran. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  kernel: string;
  /** 1-minute load average when the run started: other work on a shared machine skews the figures. */
  loadAverage: number;
  /** Component → version. */
  versions: Record<string, string>;
  /** The commit measured (with `+changes` when the tree differs from it). */
  commit: string;
}

// What a command prints, whatever its exit status (`sipp -v` exits non-zero); "unknown" if it cannot run.
function commandOutput(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", cwd: repoRoot });
  return result.error ? "unknown" : `${result.stdout}${result.stderr}`.trim();
}

function workerPackageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(workerDir, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

/** Reads the machine's cores, memory and load, and the versions of everything the stack runs. */
export function machineInfo(): MachineInfo {
  const sipp = /SIPp (v[\d.]+)/.exec(commandOutput(systemBinaries.sipp, ["-v"]))?.[1] ?? "unknown";
  const redis = /v=([\d.]+)/.exec(commandOutput(systemBinaries.redisServer, ["--version"]))?.[1] ?? "unknown";
  const dirty = commandOutput("git", ["status", "--porcelain", "--untracked-files=no"]) !== "";
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: totalmem() / 2 ** 30,
    kernel: release(),
    loadAverage: loadavg()[0],
    versions: {
      "livekit-server": versions.livekitServer,
      "livekit-sip": versions.livekitSip,
      "@livekit/agents": workerPackageVersion("@livekit/agents"),
      "@livekit/rtc-node": workerPackageVersion("@livekit/rtc-node"),
      "livekit-server-sdk": workerPackageVersion("livekit-server-sdk"),
      "Node.js": process.version,
      "redis-server": redis,
      sipp,
    },
    commit: `${commandOutput("git", ["rev-parse", "--short", "HEAD"])}${dirty ? "+changes" : ""}`,
  };
}
