/**
 * A host's commands (`sudo`, `docker`, `systemctl`…) replaced by `sh` fakes first on PATH, so that a
 * step's script runs as the host would run it while the fakes record what they were asked to do.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes each fake (command name → its `sh` body) into `dir` as an executable script. */
export function writeFakeCommands(dir: string, fakes: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(fakes)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
}

/** How one run went: the lines the fakes appended to $FAKE_LOG, the exit status and stderr. */
export interface FakeRun {
  calls: string[];
  status: number | null;
  stderr: string;
}

/**
 * Runs `sh -c command` with `input` on stdin, the fakes in `bin` first on PATH (unless `env` sets
 * PATH) and $FAKE_LOG set to `log`, emptied first.
 */
export function runWithFakes(command: string, options: { input: string; bin: string; log: string; env?: Record<string, string> }): FakeRun {
  writeFileSync(options.log, "");
  const result = spawnSync("sh", ["-c", command], {
    input: options.input,
    encoding: "utf8",
    env: { PATH: `${options.bin}:/usr/bin:/bin`, FAKE_LOG: options.log, ...options.env },
  });
  return { calls: readFileSync(options.log, "utf8").split("\n").filter(Boolean), status: result.status, stderr: result.stderr };
}
