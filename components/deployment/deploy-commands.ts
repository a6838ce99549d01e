import { fixedPublicPorts, hostLayout } from "../runtime-config/host-layout";
import type { HostFile } from "../runtime-config/runtime-files";
import { shellQuote } from "./shell";

const compose = `sudo docker compose --project-name ${shellQuote(hostLayout.composeProject)} --project-directory ${shellQuote(hostLayout.stackDir)}`;

/** Shell that is true when a compose service is running (false before the first deploy). */
function serviceRunning(service: string): string {
  return `${compose} ps --status running --services | grep -qx ${shellQuote(service)}`;
}

/** What to run on the host after a file changed, so only the services reading it restart. */
export function applyChangeCommand(file: HostFile): string {
  const action = file.onChange;
  switch (action.kind) {
    case "recreate-services":
      // Only the services already running: before the first `up` the compose file's step starts them.
      return action.services
        .map((service) => `if ${serviceRunning(service)}; then ${compose} up --detach --wait --no-deps --force-recreate ${shellQuote(service)}; fi`)
        .join("\n");
    case "reload-caddy":
      // Caddy reloads its config in place; the Caddyfile's stream_close_delay keeps open wss connections.
      return `if ${serviceRunning(action.service)}; then ${compose} exec -T ${shellQuote(action.service)} caddy reload --config /etc/caddy/Caddyfile; fi`;
    case "reload-unit":
      return `sudo systemctl daemon-reload && sudo systemctl enable ${shellQuote(hostLayout.unitName)}`;
    case "reload-stack":
      // Starts the stack the first time; afterwards `up` recreates only services whose definition changed.
      return `sudo systemctl reload-or-restart ${shellQuote(hostLayout.unitName)}`;
    case "hand-over-worker":
      // The new worker registers before the old one drains: see worker-slots.sh.
      return `sudo sh ${shellQuote(action.script)} hand-over`;
    case "restart-ops-agent":
      // A host that booted before the agent (or this version of it) was pinned runs the startup
      // script again, which installs it; the agent reads its config only at start, and a restart
      // loses no log line (it keeps its read positions).
      return [
        `if [ "$(dpkg-query -W -f '\${Version}' google-cloud-ops-agent 2>/dev/null || true)" != ${shellQuote(action.packageVersion)} ]; then sudo google_metadata_script_runner startup; fi`,
        "sudo systemctl restart google-cloud-ops-agent",
      ].join("\n");
    case "none":
      return ":";
  }
}

/**
 * Writes one runtime file from stdin atomically (temp file + rename, so a service never reads a
 * half-written config), then applies the change. The content travels on stdin, never in argv.
 *
 * A step re-runs whenever any of its inputs changes, the SSH connection and the command text
 * included; so the script compares what it is given with what it last applied on this host (a
 * digest of the content and of `appliedWith`, recorded only once the change was applied) and,
 * when they are the same and the file is in place, writes nothing and restarts nothing. A change
 * that failed to apply is applied again by the next run.
 */
export function writeFileCommand(file: HostFile, appliedWith: readonly string[] = []): string {
  const target = shellQuote(file.path);
  const temp = shellQuote(`${file.path}.new`);
  const stamp = shellQuote(`${hostLayout.appliedDir}/${file.path.replace(/^\//, "").replace(/\//g, "_")}.sha256`);
  const extra = appliedWith.map((value) => ` ${shellQuote(value)}`).join("");
  return [
    "set -eu",
    `sudo install -d -m 0750 "$(dirname ${target})"`,
    `sudo sh -c 'umask 077; cat > "$1"' _ ${temp}`,
    `sudo chmod ${file.mode} ${temp}`,
    `applied="$( { sudo cat ${temp}; printf '%s\\n'${extra}; } | sha256sum | cut -d ' ' -f 1)"`,
    `if sudo cmp -s ${temp} ${target} && [ "$(sudo cat ${stamp} 2>/dev/null || true)" = "$applied" ]; then`,
    `  sudo rm -f ${temp}`,
    `  echo ${shellQuote(`${file.path} is as last applied on this host: nothing written, nothing restarted`)} >&2`,
    "  exit 0",
    "fi",
    `sudo mv ${temp} ${target}`,
    applyChangeCommand(file),
    `sudo install -d -m 0700 ${shellQuote(hostLayout.appliedDir)}`,
    `printf '%s\\n' "$applied" | sudo tee ${stamp} >/dev/null`,
  ].join("\n");
}

/**
 * Lets root's docker pull from an Artifact Registry host with the VM's service account (gcloud's
 * credential helper). The startup script does the same at boot; this covers hosts that booted
 * before the worker image existed. Idempotent.
 */
export function configureRegistryCommand(registryHost: string): string {
  return [
    `if ! sudo gcloud auth configure-docker ${shellQuote(registryHost)} --quiet; then`,
    `  echo ${shellQuote(`could not let docker pull from ${registryHost}: the Google Cloud CLI (gcloud) ships with GCE's Debian images; check it is installed on the host`)} >&2`,
    "  exit 1",
    "fi",
  ].join("\n");
}

/** Waits until the startup script has installed Docker; fails with the next step to take. */
export function waitForStartupCommand(timeoutSeconds = 900): string {
  const marker = shellQuote(hostLayout.readyMarker);
  return [
    `if ! timeout ${timeoutSeconds} sh -c 'until [ -f "$1" ]; do sleep 5; done' _ ${marker}; then`,
    `  echo "the startup script did not finish within ${timeoutSeconds}s; read it with: sudo journalctl -u google-startup-scripts" >&2`,
    "  exit 1",
    "fi",
  ].join("\n");
}

/**
 * Waits until every name resolves to the static IP, so Caddy's ACME challenge can succeed on its
 * first try instead of burning Let's Encrypt's failed-validation limit.
 */
export function waitForDnsCommand(names: readonly string[], address: string, timeoutSeconds = 1800): string {
  return names
    .map((name) =>
      [
        `if ! timeout ${timeoutSeconds} sh -c 'until getent ahostsv4 "$1" | grep -q "^$2 "; do sleep 10; done' _ ${shellQuote(name)} ${shellQuote(address)}; then`,
        `  echo ${shellQuote(`${name} does not resolve to ${address} after ${timeoutSeconds}s: create the DNS record "${name}. A ${address}" and run pulumi up again`)} >&2`,
        "  exit 1",
        "fi",
      ].join("\n"),
    )
    .join("\n");
}

/**
 * Waits until Caddy serves `name` over HTTPS with a certificate the host trusts and livekit-server
 * answers behind it: the LiveKit API the program calls next (to create the SIP trunks) is then
 * reachable. Asked on the host through loopback, so it checks Caddy's certificate for `name`
 * whatever the network between. Fails with where to look when ACME does not succeed in time.
 */
export function waitForTlsCommand(name: string, timeoutSeconds = 900, port: number = fixedPublicPorts.caddyTls): string {
  const url = port === fixedPublicPorts.caddyTls ? `https://${name}/` : `https://${name}:${port}/`;
  return [
    `if ! timeout ${timeoutSeconds} sh -c 'until curl --silent --fail --output /dev/null --max-time 10 --resolve "$1:$2:127.0.0.1" "$3"; do sleep 5; done' _ ${shellQuote(name)} ${port} ${shellQuote(url)}; then`,
    `  echo ${shellQuote(`${url} did not answer with a valid certificate within ${timeoutSeconds}s: read Caddy's ACME log with \`${compose} logs caddy\` on the host, check that ports 80 and 443 are open and that the name resolves to this host, then run pulumi up again`)} >&2`,
    `  curl --silent --show-error --output /dev/null --max-time 10 --resolve ${shellQuote(`${name}:${port}:127.0.0.1`)} ${shellQuote(url)} >&2 || true`,
    "  exit 1",
    "fi",
  ].join("\n");
}

/**
 * Waits until `https://<domain>/` answers through the load balancer (real DNS, no loopback): its
 * Google-managed certificate is active and a backend is healthy, so the LiveKit API the program
 * calls next over that URL is reachable. Google issues the certificate only once the domain
 * resolves to the load balancer, and can take up to an hour after that.
 */
export function waitForLoadBalancerCommand(domain: string, timeoutSeconds = 4200): string {
  const url = `https://${domain}/`;
  return [
    `if ! timeout ${timeoutSeconds} sh -c 'until curl --silent --fail --output /dev/null --max-time 10 "$1"; do sleep 15; done' _ ${shellQuote(url)}; then`,
    `  echo ${shellQuote(`${url} did not answer through the load balancer within ${timeoutSeconds}s: check that ${domain} resolves to the load balancer's address, the managed certificate's status (gcloud compute ssl-certificates list) and the backends' health (gcloud compute backend-services get-health), then run pulumi up again`)} >&2`,
    `  curl --silent --show-error --output /dev/null --max-time 10 ${shellQuote(url)} >&2 || true`,
    "  exit 1",
    "fi",
  ].join("\n");
}
