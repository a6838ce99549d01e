/**
 * Installs everything the test harness runs, idempotently: `redis-server`, `redis-cli` and `sipp`
 * from Debian, livekit-server, livekit-sip, Docker Compose and Caddy built with the machine's Go
 * toolchain from the Go module proxy at the versions in components/versions.ts, cached as
 * `.cache/bin/<name>-<version>`, and the harness's own Go tools, cached as
 * `.cache/bin/<name>-<source hash>`.
 * A rerun with everything present only checks files and exits.
 * Run: `npx tsx test/harness/install.ts` (`npm test` runs it as pretest).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  aptPackages,
  binCacheDir,
  type GoServer,
  goServerPath,
  goServers,
  type GoTool,
  goToolPath,
  goTools,
  isExecutable,
  repoRoot,
  systemBinaries,
} from "./binaries";

/** Runs a command with inherited output; throws naming the command when it fails. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = repoRoot): void {
  const result = spawnSync(command, args, { cwd, env, stdio: "inherit" });
  if (result.error) {
    throw new Error(`Could not run ${command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(" ")}\` exited with status ${result.status}`);
  }
}

/** Whether pkg-config finds the C libraries livekit-sip links against. */
function sipBuildLibrariesPresent(): boolean {
  try {
    execFileSync("pkg-config", ["--exists", "opus", "opusfile", "soxr"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Debian packages still missing: the tools, and livekit-sip's libraries only while it must be built. */
function missingAptPackages(): string[] {
  const missing: string[] = [];
  if (!Object.values(systemBinaries).every(isExecutable)) {
    missing.push(...aptPackages.tools);
  }
  if (!isExecutable(goServerPath(goServers.livekitSip)) && !sipBuildLibrariesPresent()) {
    missing.push(...aptPackages.sipBuild);
  }
  return missing;
}

function installAptPackages(packages: string[]): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Debian packages ${packages.join(" ")} are missing and installing them needs root: ` +
        `run \`sudo apt-get install -y ${packages.join(" ")}\`, then this script again.`,
    );
  }
  // Wait for a concurrent apt run instead of failing on its lock.
  const lockWait = ["-o", "DPkg::Lock::Timeout=600"];
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", [...lockWait, "update", "-q"], env);
  run("apt-get", [...lockWait, "install", "-y", "-q", "--no-install-recommends", ...packages], env);
}

/** Downloads a module version from the Go module proxy (checksum-verified) and returns its directory. */
function downloadModule(server: GoServer, env: NodeJS.ProcessEnv): string {
  const result = spawnSync("go", ["mod", "download", "-json", `${server.module}@${server.version}`], {
    cwd: tmpdir(),
    env,
    encoding: "utf8",
  });
  const info = result.stdout ? (JSON.parse(result.stdout) as { Dir?: string; Error?: string }) : {};
  if (result.status !== 0 || !info.Dir) {
    throw new Error(`go mod download ${server.module}@${server.version} failed: ${info.Error ?? result.stderr ?? result.error?.message}`);
  }
  return info.Dir;
}

/**
 * Builds one server inside its downloaded module, as upstream's Dockerfiles do: the module's own
 * go.mod and go.sum decide every dependency. (`go install <pkg>@<version>` cannot be used: it
 * asks the proxy for the module's version list, which the proxy refuses for github.com/livekit/sip.)
 * The binary is written beside its final name and renamed, so concurrent installs never see a
 * half-written file. GOCACHE and GOMODCACHE stay the machine's defaults so CI reruns reuse them.
 */
function buildGoServer(server: GoServer): void {
  // The machine's toolchain only: a module asking for a newer Go fails instead of downloading one.
  const env = { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: server.cgo ? "1" : "0" };
  goBuild(goServerPath(server), `./${server.mainPackage}`, env, downloadModule(server, env));
}

/** `go build` of `pkg` in `moduleDir` to `output`, through a partial file renamed when complete. */
function goBuild(output: string, pkg: string, env: NodeJS.ProcessEnv, moduleDir: string): void {
  mkdirSync(binCacheDir, { recursive: true });
  const partial = `${output}.partial-${process.pid}`;
  try {
    run("go", ["build", "-o", partial, pkg], env, moduleDir);
    renameSync(partial, output);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Builds one of the harness's own Go programs; its go.mod and go.sum decide its dependencies. */
function buildGoTool(tool: GoTool): void {
  const env = { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
  goBuild(goToolPath(tool), ".", env, join(repoRoot, tool.dir));
}

function seconds(since: bigint): string {
  return `${(Number(process.hrtime.bigint() - since) / 1e9).toFixed(1)} s`;
}

function main(): void {
  const started = process.hrtime.bigint();
  const packages = missingAptPackages();
  if (packages.length > 0) {
    const step = process.hrtime.bigint();
    installAptPackages(packages);
    console.log(`harness install: Debian packages ${packages.join(" ")} installed in ${seconds(step)}`);
  }
  for (const server of Object.values(goServers)) {
    const path = goServerPath(server);
    if (isExecutable(path)) {
      continue;
    }
    const step = process.hrtime.bigint();
    console.log(`harness install: building ${server.name} ${server.version} with go build (slow when cold)`);
    buildGoServer(server);
    console.log(`harness install: ${server.name} ${server.version} built in ${seconds(step)}: ${path}`);
  }
  for (const tool of Object.values(goTools)) {
    const path = goToolPath(tool);
    if (isExecutable(path)) {
      continue;
    }
    const step = process.hrtime.bigint();
    buildGoTool(tool);
    console.log(`harness install: ${tool.name} built in ${seconds(step)}: ${path}`);
  }
  console.log(`harness install: ready in ${seconds(started)}`);
}

try {
  main();
} catch (error) {
  console.error(`harness install failed: ${(error as Error).message}`);
  process.exit(1);
}
