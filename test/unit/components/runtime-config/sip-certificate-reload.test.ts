/**
 * The host's SIP certificate pickup (installed by the startup script, run by a systemd timer) against
 * a stand-in `docker` that answers as the host's would: it restarts livekit-sip only when Caddy's
 * certificate is newer than the running container and no call is up.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderStartupScript } from "../../../../components/runtime-config";
import { hostLayout } from "../../../../components/runtime-config/host-layout";

/** The pickup script as the startup script writes it, run from `dir` instead of the stack directory. */
function pickupScript(dir: string): string {
  const startup = renderStartupScript("us-central1-docker.pkg.dev");
  const body = /<<'RELOAD'\n([\s\S]*?)\nRELOAD\n/.exec(startup)?.[1];
  if (body === undefined) throw new Error("the startup script writes no SIP certificate pickup script");
  const path = join(dir, "pickup.sh");
  writeFileSync(path, body.replace(`cd ${hostLayout.stackDir}`, `cd ${dir}`), { mode: 0o755 });
  return path;
}

/** Runs the pickup with a stub docker: the certificate's and the container's times (epoch seconds), the calls up. Returns the docker commands run. */
function runPickup(host: { certificate?: number; started: number; activeCalls: number[] }): string[] {
  const dir = mkdtempSync(join(tmpdir(), "sip-cert-pickup-"));
  const log = join(dir, "docker.log");
  const metrics = host.activeCalls.map((n, i) => `livekit_sip_calls_active{dir="${i}"} ${n}`).join("\\n");
  writeFileSync(
    join(dir, "docker"),
    [
      "#!/bin/bash",
      `echo "$*" >> ${log}`,
      'case "$*" in',
      '  "compose -p agent-studio-voice ps -q sip") echo c0ffee ;;',
      // stat fails on a glob matching no file; the pickup must not, or its unit fails every five minutes.
      `  "exec c0ffee bash -c stat"*) ${host.certificate === undefined ? '[[ "$*" == *"|| true"* ]] || exit 1' : `echo ${host.certificate}`} ;;`,
      `  "inspect -f {{.State.StartedAt}} c0ffee") date -u -d @${host.started} +%Y-%m-%dT%H:%M:%S.000000000Z ;;`,
      `  "exec c0ffee bash -c exec 3<>"*) printf 'HTTP/1.0 200 OK\\n\\n# TYPE livekit_sip_calls_active gauge\\n${metrics}\\n' ;;`,
      "esac",
      "",
    ].join("\n"),
  );
  chmodSync(join(dir, "docker"), 0o755);
  execFileSync("bash", [pickupScript(dir)], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, stdio: "pipe" });
  return readFileSync(log, "utf8").trim().split("\n");
}

const restarted = (commands: string[]) => commands.includes("compose -p agent-studio-voice restart sip");

describe("the SIP certificate pickup on the host", () => {
  it("restarts livekit-sip once Caddy's certificate is newer than the running livekit-sip and no call is up", () => {
    expect(restarted(runPickup({ certificate: 2_000, started: 1_000, activeCalls: [0, 0] }))).toBe(true);
  });

  it("waits while a call is up, so no call is cut for a certificate valid for another month", () => {
    expect(restarted(runPickup({ certificate: 2_000, started: 1_000, activeCalls: [0, 1] }))).toBe(false);
  });

  it("leaves livekit-sip alone when it started after the certificate was written, or has no certificate (secure trunking off)", () => {
    expect(restarted(runPickup({ certificate: 1_000, started: 2_000, activeCalls: [0] }))).toBe(false);
    expect(restarted(runPickup({ started: 1_000, activeCalls: [0] }))).toBe(false);
  });
});
