import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** What the fake answers to one command. */
export interface FakePulumiReply {
  /** Printed on stdout. Defaults to nothing. */
  stdout?: string;
  /** Printed on stderr. Defaults to nothing. */
  stderr?: string;
  /** Exit code. Defaults to 0. */
  exitCode?: number;
}

/** One invocation the fake recorded. */
export interface FakePulumiCall {
  /** Its argv, without the executable. */
  args: string[];
  /** Everything it read on stdin. */
  stdin: string;
}

/** A fake `pulumi` executable installed in a temporary directory. */
export interface FakePulumi {
  /** Environment putting the fake first on PATH. */
  env: NodeJS.ProcessEnv;
  /** Every invocation so far, in order. */
  calls(): FakePulumiCall[];
  /** Removes the directory. */
  remove(): void;
}

// The fake itself: records argv and stdin as one JSON line, then answers with the reply whose key
// is the longest prefix of its space-joined arguments.
const fakeSource = `#!/usr/bin/env node
const fs = require("node:fs");
const args = process.argv.slice(2);
let stdin = "";
try { stdin = fs.readFileSync(0, "utf8"); } catch {}
fs.appendFileSync(process.env.FAKE_PULUMI_LOG, JSON.stringify({ args, stdin }) + "\\n");
const replies = JSON.parse(fs.readFileSync(process.env.FAKE_PULUMI_REPLIES, "utf8"));
const joined = args.join(" ");
const key = Object.keys(replies).filter((k) => joined === k || joined.startsWith(k + " ")).sort((a, b) => b.length - a.length)[0];
const reply = key === undefined ? { stderr: "fake pulumi: no reply for: " + joined, exitCode: 99 } : replies[key];
if (reply.stdout) process.stdout.write(reply.stdout);
if (reply.stderr) process.stderr.write(reply.stderr);
process.exitCode = reply.exitCode ?? 0;
`;

/**
 * Installs a fake `pulumi` that records each invocation's arguments and stdin and answers from
 * `replies`, keyed by argument prefix (e.g. `"config get"`, `"up"`); unknown commands exit 99.
 */
export function installFakePulumi(replies: Record<string, FakePulumiReply>): FakePulumi {
  const dir = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
  const log = join(dir, "calls.jsonl");
  const repliesFile = join(dir, "replies.json");
  writeFileSync(join(dir, "pulumi"), fakeSource, { mode: 0o755 });
  writeFileSync(repliesFile, JSON.stringify(replies));
  return {
    env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ""}`, FAKE_PULUMI_LOG: log, FAKE_PULUMI_REPLIES: repliesFile },
    calls: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line) as FakePulumiCall)
        : [],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
