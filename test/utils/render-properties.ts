import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { parse } from "yaml";
import { livekitApiSecretPattern, validateStackConfig, type ValidatedConfig } from "../../components/config";
import {
  type LivekitKeys,
  minApiSecretLength,
  renderLivekitKeysFile,
  renderRuntimeFiles,
  type RuntimeFile,
  type RuntimeFileId,
  type RuntimeInput,
} from "../../components/runtime-config";
import { key, rawConfig } from "./config-fixtures";
import { productionKeys, productionRuntimeInput } from "./runtime-input";

/** Text that YAML, shell and Caddyfile syntax would read as structure: newlines, colons, quotes, anchors… */
const breakers = ["\n", "\r\n", ": ", ":", "'", '"', "&anchor ", "*anchor", "<<: *a", "# ", "- ", "{", "}", "[", "]", "!!str ", "|", ">", "%YAML", "---", "...", "\t", "\\", "$(", "`", "\u2028", "\u0000"];

/** Hostile strings: arbitrary text, YAML/shell breakers alone, or breakers embedded in text. */
export const hostileText: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 12 }),
    fc.constantFrom(...breakers),
    fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...breakers), fc.string({ maxLength: 6 })).map(([a, b, c]) => `${a}${b}${c}`),
  );

/** Every runtime file the RuntimeConfig component renders: the plain ones and the key pair's env file. */
export function renderAllFiles(input: RuntimeInput, keys: LivekitKeys): Record<RuntimeFileId, RuntimeFile> {
  const files = renderRuntimeFiles(input);
  if (files.redis === undefined) throw new Error("renderAllFiles renders the single host's files: give it an input without `node`");
  return { ...files, redis: files.redis, livekitKeys: renderLivekitKeysFile(keys) };
}

/**
 * The variables of an env file the renderers wrote, read as compose's env-file parser reads bare and
 * single-quoted values (the only forms they write).
 */
export function envVariables(content: string): Record<string, string> {
  return Object.fromEntries(
    content
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => {
        const name = line.slice(0, line.indexOf("="));
        const value = line.slice(line.indexOf("=") + 1);
        return [name, value.startsWith("'") && value.endsWith("'") && value.length > 1 ? value.slice(1, -1) : value];
      }),
  );
}

/** The LiveKit key pair the RuntimeConfig component takes from validated config. */
export function keysOf(config: ValidatedConfig): LivekitKeys {
  return { apiKey: config.livekit.apiKey, apiSecret: config.livekit.apiSecret };
}

/** The runtime input the RuntimeConfig component builds from validated config and the static IP. */
export function runtimeInputOf(config: ValidatedConfig, staticIp: string): RuntimeInput {
  return {
    domain: config.domain,
    staticIp,
    logLevel: config.logLevel,
    ports: config.ports,
    turnEnabled: config.turn.enabled,
    secureTrunking: config.secureTrunking,
    versions: config.versions,
    // The worker image comes from the WorkerImage build, not from config.
    workerImage: productionRuntimeInput().workerImage,
    maxCallMinutes: config.maxCallMinutes,
  };
}

/**
 * Every leaf of a parsed document as `path: type`, sorted: the document's structure. YAML files are
 * read as YAML 1.1, so a value a Go reader could take for a boolean, number or null shows up as a
 * changed type.
 */
export function shapeOf(value: unknown, path = "", rename: (segment: string, parent: string) => string = (s) => s): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => shapeOf(item, `${path}[${i}]`, rename));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value)
      .flatMap(([k, v]) => shapeOf(v, path ? `${path}.${rename(k, path)}` : rename(k, path), rename))
      .sort();
  }
  return [`${path}: ${value === null ? "null" : typeof value}`];
}

const yaml11 = (text: string): any => parse(text, { version: "1.1" });
// Go's yaml.v3 follows YAML 1.2 for numbers (0o17) and 1.1 habits elsewhere: a file reads the
// same in both only when every ambiguous scalar is quoted.
const readsAlike = (text: string): boolean => isDeepStrictEqual(parse(text, { version: "1.2" }), yaml11(text));

/** Structure and user-given values of the rendered files, in a form two renderings can be compared in. */
export function renderedView(files: Record<RuntimeFileId, RuntimeFile>, input: RuntimeInput) {
  const livekit = yaml11(files.livekit.content);
  const sip = yaml11(files.sip.content);
  const compose = yaml11(files.compose.content);
  const keys = envVariables(files.livekitKeys.content);
  return {
    shapes: {
      livekit: shapeOf(livekit),
      sip: shapeOf(sip),
      compose: shapeOf(compose),
      caddy: files.caddy.content
        .split("\n")
        .map((line) => (line === `${input.domain} {` ? "<domain> {" : line === `sip.${input.domain} {` ? "<sip host> {" : line))
        .join("\n"),
      redis: files.redis.content,
      systemdUnit: files.systemdUnit.content,
      livekitKeys: Object.keys(keys),
    },
    values: {
      // livekit-server reads LIVEKIT_KEYS as YAML (yaml.v3); it must read back as exactly the pair.
      keys: [parse(keys.LIVEKIT_KEYS ?? "", { version: "1.1" }), parse(keys.LIVEKIT_KEYS ?? "", { version: "1.2" })],
      sipKeys: [keys.LIVEKIT_API_KEY, keys.LIVEKIT_API_SECRET],
      nodeIp: livekit.rtc.node_ip,
      rtcPorts: [livekit.rtc.tcp_port, livekit.rtc.udp_port],
      turnPort: livekit.turn?.udp_port,
      logLevels: [livekit.logging.level, sip.logging.level],
      sip: [sip.nat_1_to_1_ip, sip.sip_port, sip.rtp_port],
      sipHost: sip.sip_hostname,
      images: Object.values(compose.services).map((s: any) => s.image),
      site: files.caddy.content.split("\n").includes(`${input.domain} {`),
      readsAlikeInYaml11And12: [files.livekit.content, files.sip.content, files.compose.content, keys.LIVEKIT_KEYS ?? ""].every(readsAlike),
    },
  };
}

/**
 * What {@link renderedView} must give for `input` and `keys`: the structure of the reviewed
 * production rendering (same TURN setting) and exactly the input's values in their places.
 */
export function expectedView(input: RuntimeInput, keys: LivekitKeys) {
  const reference = productionRuntimeInput({ turnEnabled: input.turnEnabled, secureTrunking: input.secureTrunking });
  const pair = { [keys.apiKey]: keys.apiSecret };
  return {
    shapes: renderedView(renderAllFiles(reference, productionKeys()), reference).shapes,
    values: {
      keys: [pair, pair],
      sipKeys: [keys.apiKey, keys.apiSecret],
      nodeIp: input.staticIp,
      rtcPorts: [input.ports.rtcTcp, input.ports.rtcUdp],
      turnPort: input.turnEnabled ? input.ports.turnUdp : undefined,
      logLevels: [input.logLevel, input.logLevel],
      sip: [input.staticIp, input.ports.sip, `${input.ports.rtpStart}-${input.ports.rtpEnd}`],
      sipHost: input.secureTrunking ? `sip.${input.domain}` : undefined,
      images: [
        `redis:${input.versions.redis}`,
        `livekit/livekit-server:${input.versions.livekitServer}`,
        `livekit/sip:${input.versions.livekitSip}`,
        `caddy:${input.versions.caddy}`,
        // Both worker slots.
        input.workerImage,
        input.workerImage,
      ],
      site: true,
      readsAlikeInYaml11And12: true,
    },
  };
}

// Values the validator accepts, drawn to include what YAML 1.1 reads as something else (yes, on,
// null, 1e3, 0x1F, leading dashes, all-digit secrets, = and / in secrets).
const yamlLookalikes = ["yes", "on", "off", "null", "true", "1e3", "1E3", "0x1F", "0b101", "0777", "0o17", "1_000", "123", "-1"];
const apiKey = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{3,64}$/), fc.constantFrom(...yamlLookalikes));
const apiSecret = fc.oneof(
  fc.stringMatching(livekitApiSecretPattern),
  fc.constantFrom("0".repeat(minApiSecretLength), "-".repeat(40), `${"1".repeat(minApiSecretLength - 1)}e`, "=".repeat(minApiSecretLength), `0o${"7".repeat(minApiSecretLength - 2)}`),
);
const version = fc.stringMatching(/^v?\d{1,3}\.\d{1,3}\.\d{1,3}(-[a-z0-9]{1,8})?$/);

/** Raw stack config overrides drawn over the keys that reach the rendered files; most pass validation. */
export const configOverrides: fc.Arbitrary<Record<string, string>> = fc
  .record({
    domain: fc.domain().filter((d) => /^[a-z0-9.-]+$/.test(d) && /\.[a-z]/.test(d)),
    livekitApiKey: apiKey,
    livekitApiSecret: apiSecret,
    logLevel: fc.constantFrom("debug", "info", "warn", "error"),
    turnEnabled: fc.boolean().map(String),
    secureTrunking: fc.boolean().map(String),
    rtcTcpPort: fc.integer({ min: 1024, max: 9999 }),
    rtcUdpPort: fc.integer({ min: 1024, max: 9999 }),
    sipPort: fc.integer({ min: 1024, max: 9999 }),
    rtpPortStart: fc.integer({ min: 10000, max: 40000 }),
    rtpWidth: fc.integer({ min: 1, max: 20000 }),
    livekitServerVersion: version,
    redisVersion: version,
  })
  .map(({ rtpWidth, rtpPortStart, ...rest }) => ({
    ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [key(k), String(v)])),
    [key("rtpPortStart")]: String(rtpPortStart),
    [key("rtpPortEnd")]: String(rtpPortStart + rtpWidth),
  }));

/** The validated config of {@link configOverrides}, or undefined when validation refused it. */
export function acceptedConfig(overrides: Record<string, string>): ValidatedConfig | undefined {
  const result = validateStackConfig(rawConfig(overrides), "prod");
  return result.ok ? result.config : undefined;
}
