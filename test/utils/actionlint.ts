/**
 * Installs the workflow linter the workflow tests run, idempotently: actionlint built with the
 * machine's Go toolchain from the Go module proxy at a pinned version, cached under
 * `.cache/bin/actionlint-<version>`, and Debian's shellcheck, which actionlint runs on every
 * `run:` script. Neither is in Debian 12 or a trustworthy npm package, so the project's own
 * files install them: `npx tsx test/utils/actionlint.ts`, or {@link ensureActionlint} from a test.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./offline-program";

/** actionlint release (Go module github.com/rhysd/actionlint); its bundled action metadata checks `with:` inputs. */
export const actionlintVersion = "v1.7.12";

/** Where the cached actionlint build lives. */
export const actionlintPath = join(repoRoot, ".cache", "bin", `actionlint-${actionlintVersion}`);

/** Debian's shellcheck. */
export const shellcheckPath = "/usr/bin/shellcheck";

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.error || result.status !== 0) {
    const detail = result.error?.message ?? `${result.stderr}${result.stdout}`.trim().split("\n").slice(-20).join("\n");
    throw new Error(`\`${command} ${args.join(" ")}\` failed: ${detail}`);
  }
}

function installShellcheck(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(`shellcheck is missing and installing it needs root: run \`sudo apt-get install -y shellcheck\`, then the tests again.`);
  }
  // Waits for a concurrent apt run (the harness installer) instead of failing on its lock.
  const lockWait = ["-o", "DPkg::Lock::Timeout=600"];
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", [...lockWait, "update", "-q"], env);
  run("apt-get", [...lockWait, "install", "-y", "-q", "--no-install-recommends", "shellcheck"], env);
}

function buildActionlint(): void {
  const gobin = mkdtempSync(join(tmpdir(), "actionlint-build-"));
  try {
    // The machine's toolchain only: a module asking for a newer Go fails instead of downloading one.
    const env = { ...process.env, GOBIN: gobin, GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
    run("go", ["install", `github.com/rhysd/actionlint/cmd/actionlint@${actionlintVersion}`], env);
    mkdirSync(join(repoRoot, ".cache", "bin"), { recursive: true });
    // Renamed into place whole, so a concurrent run never executes a half-written file.
    renameSync(join(gobin, "actionlint"), actionlintPath);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

/** Installs whatever is missing and returns the actionlint executable's path. */
export function ensureActionlint(): string {
  if (!executable(shellcheckPath)) installShellcheck();
  if (!executable(actionlintPath)) buildActionlint();
  const version = execFileSync(actionlintPath, ["-version"], { encoding: "utf8" }).split("\n")[0];
  if (version !== actionlintVersion) {
    throw new Error(`${actionlintPath} reports version ${version}, expected ${actionlintVersion}; delete it and run again.`);
  }
  return actionlintPath;
}

if (require.main === module) {
  console.log(`actionlint ready: ${ensureActionlint()}`);
}
