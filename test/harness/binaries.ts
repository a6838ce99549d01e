import { createHash } from "node:crypto";
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { versions } from "../../components/versions";

/** Repository root (this file sits in test/harness/). */
export const repoRoot = resolve(__dirname, "..", "..");

/** Project-local cache of the Go-built servers, one file per name and version; gitignored. */
export const binCacheDir = join(repoRoot, ".cache", "bin");

/** The command that installs and builds everything the harness runs. */
export const installCommand = "npx tsx test/harness/install.ts";

/** A program the harness builds from the Go module proxy with the machine's Go toolchain. */
export interface GoServer {
  /** Name of the cached binary (`<name>-<version>` under {@link binCacheDir}). */
  name: string;
  /** Go module path. */
  module: string;
  /** Directory of the main package inside the module. */
  mainPackage: string;
  /** Module version: the release the host runs (the compose file's image tag, or the Compose CLI's minimum). */
  version: string;
  /** Whether the build needs cgo (and Debian's C libraries, see {@link aptPackages}). */
  cgo: boolean;
}

/**
 * Caddy's Go module tag for a `caddy` image tag: the image's release with its variant dropped
 * (`2.9.1-alpine` → `v2.9.1`), so the Caddy that validates each Caddyfile is the one the host runs.
 */
export function caddyModuleVersion(imageTag: string): string {
  const release = /^(\d+\.\d+\.\d+(?:-(?:beta|rc)\.\d+)?)(?:-alpine)?$/.exec(imageTag)?.[1];
  if (release === undefined) {
    throw new Error(`caddy image tag ${JSON.stringify(imageTag)} names no Caddy release (expected e.g. 2.9.1-alpine)`);
  }
  return `v${release}`;
}

/**
 * Programs built from upstream source, pinned by {@link versions}: the servers the harness runs,
 * and the Docker Compose and Caddy CLIs that judge the rendered compose files and Caddyfiles.
 */
export const goServers = {
  livekitServer: {
    name: "livekit-server",
    module: "github.com/livekit/livekit-server",
    mainPackage: "cmd/server",
    version: versions.livekitServer,
    cgo: false,
  },
  livekitSip: {
    name: "livekit-sip",
    module: "github.com/livekit/sip",
    mainPackage: "cmd/livekit-sip",
    version: versions.livekitSip,
    cgo: true,
  },
  dockerCompose: {
    name: "docker-compose",
    module: "github.com/docker/compose/v2",
    mainPackage: "cmd",
    version: versions.compose,
    cgo: false,
  },
  caddy: {
    name: "caddy",
    module: "github.com/caddyserver/caddy/v2",
    mainPackage: "cmd/caddy",
    version: caddyModuleVersion(versions.caddy),
    cgo: false,
  },
} as const satisfies Record<string, GoServer>;

/** A small Go program kept in this repository, built by the harness with the machine's toolchain. */
export interface GoTool {
  /** Name of the cached binary (`<name>-<source hash>` under {@link binCacheDir}). */
  name: string;
  /** Its module directory, relative to the repository root. */
  dir: string;
}

/** Go programs of the harness's own. */
export const goTools = {
  /** Decodes YAML with gopkg.in/yaml.v3, as livekit-server and livekit-sip do (`go-yaml-reader/main.go`). */
  yamlReader: { name: "go-yaml-reader", dir: "test/harness/go-yaml-reader" },
  /** Asks livekit-server which dispatch rule takes an inbound call, as livekit-sip does (`sip-dispatch-evaluator/main.go`). */
  sipDispatchEvaluator: { name: "sip-dispatch-evaluator", dir: "test/harness/sip-dispatch-evaluator" },
  /** Parses a scrape as Prometheus's scraper (and so the Ops Agent) does (`prometheus-text-parser/main.go`). */
  prometheusTextParser: { name: "prometheus-text-parser", dir: "test/harness/prometheus-text-parser" },
} as const satisfies Record<string, GoTool>;

/** Where the build of a Go tool's current sources lives: a changed source gets a new file. */
export function goToolPath(tool: GoTool): string {
  const dir = join(repoRoot, tool.dir);
  const hash = createHash("sha256");
  for (const file of readdirSync(dir).sort()) {
    hash.update(`${file}\0`).update(readFileSync(join(dir, file)));
  }
  return join(binCacheDir, `${tool.name}-${hash.digest("hex").slice(0, 12)}`);
}

/** Debian packages the harness needs: the servers it runs as-is, and livekit-sip's cgo libraries. */
export const aptPackages = {
  /**
   * Provide `redis-server` and `redis-cli`, `sipp`, the `curl` and `openssl` the deployment-command
   * tests run, and for secure trunking `baresip` (the carrier speaking SIP over TLS with SRTP/SDES,
   * which Debian's sipp cannot: built without TLS) and `tshark` (the capture of its media).
   */
  tools: ["redis-server", "redis-tools", "sip-tester", "curl", "openssl", "baresip-core", "tshark"],
  /** Headers and pkg-config files livekit-sip's cgo build links against. */
  sipBuild: ["pkg-config", "libopus-dev", "libopusfile-dev", "libsoxr-dev"],
} as const;

/** Debian-installed executables the harness runs. */
export const systemBinaries = {
  redisServer: "/usr/bin/redis-server",
  redisCli: "/usr/bin/redis-cli",
  sipp: "/usr/bin/sipp",
  curl: "/usr/bin/curl",
  openssl: "/usr/bin/openssl",
  baresip: "/usr/bin/baresip",
  tshark: "/usr/bin/tshark",
} as const;

/** Where the cached build of a Go server lives. */
export function goServerPath(server: GoServer): string {
  return join(binCacheDir, `${server.name}-${server.version}`);
}

/** Whether a file exists and is executable. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws one message naming every binary in `paths` that is not installed and the command that
 * installs them, so an integration test fails with the fix instead of a spawn ENOENT.
 */
export function requireBinaries(paths: readonly string[]): void {
  const missing = paths.filter((path) => !isExecutable(path));
  if (missing.length > 0) {
    throw new Error(
      `The test harness binaries are not installed: ${missing.join(", ")}. ` +
        `Run \`${installCommand}\` from the repository root (it installs the Debian packages and ` +
        `builds livekit-server, livekit-sip, Docker Compose and Caddy with Go; \`npm test\` runs it as pretest).`,
    );
  }
}
