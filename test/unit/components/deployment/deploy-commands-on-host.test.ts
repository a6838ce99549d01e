/**
 * The deployment's file steps run as the host would run them, with `sudo`, `docker` and
 * `systemctl` replaced by fakes on PATH that record what they were asked to do, and the host's
 * directories moved under a scratch root: what a step restarts, and when it restarts nothing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileCommand } from "../../../../components/deployment";
import { renderWorkerEnv, type HostFile } from "../../../../components/runtime-config";
import { versions } from "../../../../components/versions";
import { type FakeRun, runWithFakes, writeFakeCommands } from "../../../utils/fake-commands";
import { renderAllFiles } from "../../../utils/render-properties";
import { productionKeys, productionRuntimeInput } from "../../../utils/runtime-input";

let root: string;
let log: string;

const fakes: Record<string, string> = {
  sudo: 'exec "$@"',
  // `compose ps --status running --services` answers with $RUNNING; any other call is recorded and
  // fails when $DOCKER_FAILS is set (a deploy whose `up` fails).
  // Worker containers are `$CONTAINERS` (service:id pairs); those in `$DRAINING` have no restart
  // policy. Queries answer from these and are not recorded; `compose up` fails when $UP_FAILS is set.
  docker: [
    'case " $* " in *" ps --status running --services "*) printf "%s\\n" $RUNNING; exit 0 ;; esac',
    'case "$1" in',
    '  ps) for pair in ${CONTAINERS:-}; do [ "${pair%%:*}" = "${*##*com.docker.compose.service=}" ] && echo "${pair#*:}"; done; exit 0 ;;',
    '  inspect) for id in ${DRAINING:-}; do [ "$id" = "$4" ] && echo no && exit 0; done; echo unless-stopped; exit 0 ;;',
    'esac',
    'echo "docker $*" >> "$FAKE_LOG"',
    'case " $* " in *" up "*) [ -z "${UP_FAILS:-}" ] || exit 1 ;; esac',
    '[ -z "${DOCKER_FAILS:-}" ]',
  ].join("\n"),
  systemctl: 'echo "systemctl $*" >> "$FAKE_LOG"',
  // The Ops Agent's installed package version is $OPS_AGENT_INSTALLED (none when unset).
  "dpkg-query": '[ -n "${OPS_AGENT_INSTALLED:-}" ] && printf "%s" "$OPS_AGENT_INSTALLED"',
  google_metadata_script_runner: 'echo "google_metadata_script_runner $*" >> "$FAKE_LOG"',
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "deploy-host-"));
  writeFakeCommands(join(root, "bin"), fakes);
  log = join(root, "calls.log");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The script with the host's absolute directories moved under the scratch root. */
function onScratchHost(script: string): string {
  return script.replace(/'\/(opt|var\/lib|etc\/systemd|etc\/google-cloud-ops-agent)\//g, `'${root}/host/$1/`);
}

/** Runs a step's script with its stdin; returns what the fakes recorded and the exit status. */
function runStep(script: string, stdin: string, env: Record<string, string> = {}): FakeRun {
  return runWithFakes(onScratchHost(script), { input: stdin, bin: join(root, "bin"), log, env: { RUNNING: "redis livekit sip caddy worker", ...env } });
}

const onHost = (file: HostFile): string => join(root, "host", file.path.replace(/^\//, ""));

describe("a file step on the host", () => {
  const files = renderAllFiles(productionRuntimeInput(), productionKeys());

  it("installs a new file and restarts only the services that read it", () => {
    const first = runStep(writeFileCommand(files.sip), files.sip.content);
    expect(first.status).toBe(0);
    expect(readFileSync(onHost(files.sip), "utf8")).toBe(files.sip.content);
    expect(first.calls).toEqual([expect.stringMatching(/^docker compose .* up --detach --wait --no-deps --force-recreate sip$/)]);
  });

  it("re-run with the same content (a new connection or command text) writes nothing and restarts nothing", () => {
    runStep(writeFileCommand(files.livekit), files.livekit.content);
    const again = runStep(`# a new connection re-runs the step\n${writeFileCommand(files.livekit)}`, files.livekit.content);
    expect(again.status).toBe(0);
    expect(again.calls).toEqual([]);
    expect(again.stderr).toContain("is as last applied on this host: nothing written, nothing restarted");
    expect(existsSync(`${onHost(files.livekit)}.new`)).toBe(false);
  });

  it("applies changed content", () => {
    runStep(writeFileCommand(files.redis), files.redis.content);
    const changed = `${files.redis.content}# changed\n`;
    const again = runStep(writeFileCommand(files.redis), changed);
    expect(again.calls).toEqual([expect.stringMatching(/--force-recreate redis$/)]);
    expect(readFileSync(onHost(files.redis), "utf8")).toBe(changed);
  });

  it("applies again on the next run a change whose restart failed", () => {
    const failed = runStep(writeFileCommand(files.caddy), files.caddy.content, { DOCKER_FAILS: "1" });
    expect(failed.status).not.toBe(0);
    const retried = runStep(writeFileCommand(files.caddy), files.caddy.content);
    expect(retried.status).toBe(0);
    expect(retried.calls).toEqual([expect.stringMatching(/exec -T caddy caddy reload --config \/etc\/caddy\/Caddyfile$/)]);
    expect(runStep(writeFileCommand(files.caddy), files.caddy.content).calls).toEqual([]);
  });

  it("leaves services that are not running to the compose step, and reloads the unit with systemctl", () => {
    expect(runStep(writeFileCommand(files.livekitKeys), files.livekitKeys.content, { RUNNING: "" }).calls).toEqual([]);
    expect(runStep(writeFileCommand(files.systemdUnit), files.systemdUnit.content).calls).toEqual([
      "systemctl daemon-reload",
      "systemctl enable agent-studio-voice.service",
    ]);
  });

  it("hands the worker over for a new image even when its env file is the same", () => {
    runStep(writeFileCommand(files.workerSlots), files.workerSlots.content);
    const env = renderWorkerEnv({ ...productionKeys(), sipOutboundTrunkId: "ST_abc", agentName: "agent", callsPerProcess: 8 });
    const handOver = (slot: string) => [expect.stringMatching(new RegExp(`--profile worker up --detach --wait --no-deps --force-recreate ${slot}$`))];
    expect(runStep(writeFileCommand(env, ["image-a"]), env.content).calls).toEqual(handOver("worker-a"));
    expect(runStep(writeFileCommand(env, ["image-a"]), env.content).calls).toEqual([]);
    expect(runStep(writeFileCommand(env, ["image-b"]), env.content).calls).toEqual(handOver("worker-b"));
  });

  it("restarts the Ops Agent for its new config, installing the pinned version first on a host that lacks it", () => {
    const step = writeFileCommand(files.opsAgent);
    const restart = "systemctl restart google-cloud-ops-agent";
    expect(runStep(step, files.opsAgent.content, { OPS_AGENT_INSTALLED: "2.1.0~debian12" }).calls).toEqual(["google_metadata_script_runner startup", restart]);
    const changed = `${files.opsAgent.content}# changed\n`;
    expect(runStep(step, changed, { OPS_AGENT_INSTALLED: `${versions.opsAgent}~debian12` }).calls).toEqual([restart]);
    expect(runStep(step, files.opsAgent.content).calls).toEqual(["google_metadata_script_runner startup", restart]);
  });

  it("keeps the file readable by root only when it holds secrets", () => {
    runStep(writeFileCommand(files.livekitKeys), files.livekitKeys.content);
    expect(execFileSync("stat", ["-c", "%a", onHost(files.livekitKeys)]).toString().trim()).toBe("600");
  });
});

describe("the worker slots' script on the host", () => {
  const files = renderAllFiles(productionRuntimeInput(), productionKeys());
  const slotFile = () => join(root, "host", "var/lib/agent-studio-voice/worker-slot");
  const script = () => join(root, "worker-slots.sh");
  const run = (command: string, env: Record<string, string> = {}) => runStep(`sh ${script()} ${command}`, "", env);
  const up = (slot: string) => expect.stringMatching(new RegExp(`^docker compose .* --profile worker up --detach --wait --no-deps --force-recreate ${slot}$`));
  const drained = (id: string) => [`docker update --restart=no ${id}`, `docker kill --signal SIGTERM ${id}`];

  beforeEach(() => {
    writeFileSync(script(), files.workerSlots.content.replace(/\/var\/lib\//g, `${root}/host/var/lib/`));
    rmSync(slotFile(), { force: true });
  });

  it("first starts slot A, registered before it drains the single worker of a stack deployed before the slots", () => {
    const result = run("hand-over", { CONTAINERS: "worker:c0" });
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([up("worker-a"), ...drained("c0")]);
    expect(readFileSync(slotFile(), "utf8")).toBe("worker-a\n");
  });

  it("then alternates: the new worker starts in the idle slot, and only once it is up does the serving one drain", () => {
    run("hand-over");
    const second = run("hand-over", { CONTAINERS: "worker-a:c1" });
    expect(second.calls).toEqual([up("worker-b"), ...drained("c1")]);
    const third = run("hand-over", { CONTAINERS: "worker-b:c2" });
    expect(third.calls).toEqual([up("worker-a"), ...drained("c2")]);
    expect(readFileSync(slotFile(), "utf8")).toBe("worker-a\n");
  });

  it("waits for a worker still ending the previous deploy's calls in the idle slot, never signalling it twice", () => {
    run("hand-over");
    const result = run("hand-over", { CONTAINERS: "worker-a:c1 worker-b:c0", DRAINING: "c0" });
    expect(result.calls).toEqual(["docker wait c0", up("worker-b"), ...drained("c1")]);
    expect(result.stderr).toContain("the worker in worker-b is still ending calls from the previous deploy");
  });

  it("leaves the serving worker alone and the slot unchanged when the new one does not come up", () => {
    run("hand-over");
    const result = run("hand-over", { CONTAINERS: "worker-a:c1", UP_FAILS: "1" });
    expect(result.status).not.toBe(0);
    expect(result.calls).toEqual([up("worker-b")]);
    expect(readFileSync(slotFile(), "utf8")).toBe("worker-a\n");
  });

  it("at a stop drains every worker at once and waits for each; at boot starts the slot that served last", () => {
    run("hand-over");
    const stop = run("stop", { CONTAINERS: "worker-a:c1 worker-b:c0", DRAINING: "c0" });
    expect(stop.calls).toEqual([...drained("c1"), "docker wait c1", "docker wait c0"]);
    expect(run("start").calls).toEqual([up("worker-a")]);
    rmSync(slotFile());
    expect(run("start").calls).toEqual([up("worker-a")]);
  });
});
