/**
 * The gate's host steps run as the host would run them (`sh -c <command>`, the script on stdin),
 * with `sudo`, `docker`, `curl` and `timeout` replaced by fakes on PATH that record what they were
 * asked to do: what the drain signals and waits for, and what resume recreates and checks.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reenableCommand } from "../../../../components/rolling-deploy/node-roll";
import { renderSipDrainScript, sipDrainCommand } from "../../../../components/rolling-deploy/sip-drain-script";
import { type FakeRun, runWithFakes, writeFakeCommands } from "../../../utils/fake-commands";

const url = { trunkSid: "TK0001", sid: "OU0001" };

const fakes: Record<string, string> = {
  sudo: 'exec "$@"',
  // Running sip containers are $SIP_IDS; their restart policy is $POLICY; a drained one runs on
  // for $RUNS polls (5 s each). `compose up` fails when $UP_FAILS is set. Queries are not recorded.
  docker: [
    'case "$1" in',
    '  ps) for id in ${SIP_IDS:-}; do echo "$id"; done; exit 0 ;;',
    '  inspect) case "$3" in',
    '    *State.Running*) polls=$(($(cat "$FAKE_LOG.polls" 2>/dev/null || echo 0) + 1)); echo "$polls" > "$FAKE_LOG.polls"',
    '      if [ "$polls" -le "${RUNS:-0}" ]; then echo true; else echo false; fi ;;',
    '    *) echo "${POLICY:-unless-stopped}" ;;',
    '  esac; exit 0 ;;',
    "esac",
    'echo "docker $*" >> "$FAKE_LOG"',
    'case " $* " in *" up "*) [ -z "${UP_FAILS:-}" ] || exit 1 ;; esac',
  ].join("\n"),
  curl: '[ -z "${CURL_FAILS:-}" ]',
  sleep: ":",
  // Runs the command, unless it is one of $TIMES_OUT: then it ran out of time.
  timeout: 'echo "timeout $1" >> "$FAKE_LOG"; shift; case " ${TIMES_OUT:-} " in *" $1 "*) exit 124 ;; esac; exec "$@"',
};

let root: string;
let log: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sip-drain-"));
  writeFakeCommands(join(root, "bin"), fakes);
  // A host without Docker: sudo alone.
  writeFakeCommands(join(root, "no-docker"), { sudo: fakes.sudo });
  log = join(root, "calls.log");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
// Each test starts on a host never rolled.
beforeEach(() => rmSync(join(root, "host"), { recursive: true, force: true }));

/** Runs one host step as the gate declares it; returns what the fakes recorded and how it ended. */
function runStep(action: "drain" | "resume", env: Record<string, string> = {}, revision = "rev-1"): FakeRun {
  rmSync(`${log}.polls`, { force: true });
  const step = action === "drain" ? "drain" : "health";
  return runWithFakes(sipDrainCommand(action, revision, "node-1", step, url), {
    // The host's directories moved under the scratch root.
    input: renderSipDrainScript({ maxCallMinutes: 30 }).replace(/=\/var\/lib\//g, `=${root}/host/var/lib/`),
    bin: join(root, "bin"),
    log,
    env,
  });
}

describe("the drain step", () => {
  it("turns livekit-sip's restart policy off, sends it SIGTERM once, and waits until it has exited, saying how long it takes", () => {
    const run = runStep("drain", { SIP_IDS: "c1", RUNS: "13" });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(["docker update --restart=no c1", "docker kill --signal SIGTERM c1"]);
    expect(run.stderr.trim().split("\n")).toEqual([
      "livekit-sip is ending its calls: 0s so far, at most 1860s",
      "livekit-sip is ending its calls: 60s so far, at most 1860s",
    ]);
  });

  it("ends the calls left past the longest call and its margin, says so, and lets the update go on", () => {
    const run = runStep("drain", { SIP_IDS: "c1", RUNS: "1000" });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(["docker update --restart=no c1", "docker kill --signal SIGTERM c1", "docker kill c1"]);
    expect(run.stderr).toContain("livekit-sip still had calls after 1860s, past the longest call allowed: ending them to update the node");
  });

  it("drains nothing on a node already rolled at this revision (a step re-run by a new SSH connection)", () => {
    expect(runStep("resume", {}, "rev-2").status).toBe(0);
    const again = runStep("drain", { SIP_IDS: "c1" }, "rev-2");
    expect(again.status).toBe(0);
    expect(again.calls).toEqual([]);
    expect(again.stderr).toContain("this node was already rolled at revision rev-2: nothing to drain");
    expect(runStep("drain", { SIP_IDS: "c1" }, "rev-3").calls).toEqual(["docker update --restart=no c1", "docker kill --signal SIGTERM c1"]);
  });

  it("has nothing to drain on a new host where Docker is not installed yet", () => {
    const run = runStep("drain", { PATH: `${join(root, "no-docker")}:/usr/bin:/bin`, SIP_IDS: "c1" });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("Docker is not installed yet on this node (a new host): nothing to drain");
  });

  it("raises the load balancer's drain flag, and the health step lowers it only once the node is healthy", () => {
    const flag = join(root, "host/var/lib/agent-studio-voice/drain/draining");
    expect(runStep("drain", { SIP_IDS: "c1" }).status).toBe(0);
    expect(existsSync(flag)).toBe(true);
    expect(runStep("resume", { UP_FAILS: "1" }).status).toBe(1);
    expect(existsSync(flag)).toBe(true);
    expect(runStep("resume").status).toBe(0);
    expect(existsSync(flag)).toBe(false);
  });

  it("has nothing to do on a node where livekit-sip is not running", () => {
    const run = runStep("drain");
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain("livekit-sip is not running on this node: nothing to drain");
  });
});

describe("the health step", () => {
  it("recreates a drained livekit-sip from its compose definition and waits for its health check, then livekit-server's", () => {
    const run = runStep("resume");
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      "docker compose --project-name agent-studio-voice --project-directory /opt/agent-studio-voice up --detach --wait --wait-timeout 300 --no-deps --force-recreate sip",
      "timeout 300",
    ]);
  });

  it("recreates a livekit-sip started again with its restart policy still off", () => {
    expect(runStep("resume", { SIP_IDS: "c1", POLICY: "no" }).calls[0]).toMatch(/--no-deps --force-recreate sip$/);
  });

  it("leaves a livekit-sip the update already recreated as it is, and only waits for it", () => {
    expect(runStep("resume", { SIP_IDS: "c2" }).calls[0]).toMatch(/--wait-timeout 300 --no-deps sip$/);
  });

  it("fails when livekit-sip does not turn healthy, with what the roll left behind and how to enable the URL", () => {
    const run = runStep("resume", { UP_FAILS: "1" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("livekit-sip did not answer its health check within 300s of its start");
    expect(run.stderr).toContain("rolling deploy stopped at node-1 (step health); the nodes after it were not touched.");
    expect(run.stderr).toContain(reenableCommand(url));
  });

  it("fails when livekit-server does not answer its health check in time", () => {
    const run = runStep("resume", { CURL_FAILS: "1", TIMES_OUT: "sh" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("livekit-server did not answer its health check within 300s");
    expect(run.stderr).toContain("stays disabled");
  });
});
