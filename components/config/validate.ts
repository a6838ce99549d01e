import { fixedPublicPorts, internalServices } from "../runtime-config/host-layout";
import { sipTlsPort } from "../runtime-config/sip-tls";
import { checkAgentsByNumber } from "./agents-by-number";
import { configFieldList, configFields as fields, projectNamespace, providerOnlyKeys, type ValueField } from "./fields";
import { type ConfigProblem, FieldReader, type RawConfig } from "./field-reader";
import { removeCommand, setCommand, setItemCommand } from "./fix-commands";
import { closestKey, isLikelyMisspelling } from "./key-distance";
import { zoneRotation } from "./node-zones";
import type { ConfigPath, ConfigValue, ValidatedConfig } from "./stack-config";

/**
 * TCP ports the host serves itself; no public port may take them, since its internet-facing rule
 * would then expose Caddy's other listener or an internal service (livekit-sip binds its health
 * and metrics ports on every interface).
 */
const reservedTcpPorts: Record<number, string> = {
  [fixedPublicPorts.acmeHttp]: "ACME HTTP-01",
  [fixedPublicPorts.caddyTls]: "Caddy TLS",
  ...Object.fromEntries(internalServices.map(({ port, what }) => [port, `${what} (internal, never public)`])),
};

/** Outcome of validation: the typed config, or every problem found. */
export type ValidationResult = { ok: true; config: ValidatedConfig } | { ok: false; problems: ConfigProblem[] };

/** The values the table's keys gave, by where they land; a key unset (without default) or bad gave none. */
type ReadValues = <P extends ConfigPath>(at: P) => ConfigValue<P> | undefined;

/**
 * Validates a stack's whole config in one pass. Pure: no Pulumi runtime, no I/O. Every key of
 * the table is read, and every bad key yields one problem; then the checks spanning several keys
 * (zone in region, port clashes, the Twilio credential, agentsByNumber against phoneNumbers) run
 * on the keys that parsed, and every key of the project's namespace outside the table is named.
 */
export function validateStackConfig(raw: RawConfig, stack: string): ValidationResult {
  const r = new FieldReader(raw, stack);
  const values = new Map<ConfigPath, unknown>();
  for (const field of configFieldList) {
    const value = r.read(field);
    if (value !== undefined) values.set(field.at, value);
  }
  const get = ((at: ConfigPath) => values.get(at)) as ReadValues;
  checkZone(r, get);
  checkZones(r, get);
  checkPorts(r, get);
  checkTwilioCredential(r);
  checkAiKeys(r);
  const agentsByNumber = get("agentsByNumber");
  if (agentsByNumber !== undefined) {
    const keys = { agentsByNumber: fields.agentsByNumber.key, phoneNumbers: fields.phoneNumbers.key };
    checkAgentsByNumber(r, keys, agentsByNumber, get("twilio.phoneNumbers"));
  }
  checkUnknownKeys(r);
  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  // No problem means every key without a default or an "optional" had a value: the config is whole.
  const config = nest(values) as Omit<ValidatedConfig, "stack">;
  // The Twilio credential's kind names which of its two shapes its keys filled.
  const auth = config.twilio.auth as { kind?: string };
  auth.kind = "authToken" in auth ? "authToken" : "apiKey";
  return { ok: true, config: { stack, ...config } };
}

/**
 * The object whose dotted paths hold the values: `gcp.zone` → `{ gcp: { zone } }`. Every object
 * on a path of the table exists, even with no value below it (`ai` with no AI key set).
 */
function nest(values: ReadonlyMap<ConfigPath, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const field of configFieldList) {
    const path = field.at.split(".");
    let node = root;
    for (const name of path.slice(0, -1)) node = (node[name] ??= {}) as Record<string, unknown>;
    if (values.has(field.at)) node[path[path.length - 1]] = values.get(field.at);
  }
  return root;
}

/** The zone must lie in the region. */
function checkZone(r: FieldReader, get: ReadValues): void {
  const region = get("gcp.region");
  const zone = get("gcp.zone");
  if (region !== undefined && zone !== undefined && !zone.startsWith(`${region}-`)) {
    const expected = `a zone inside ${fields.region.key} ${region}, e.g. ${region}-a`;
    r.report({ ...fields.zone, expected, fix: `${fields.zone.key} ${region}-a` }, r.shown(fields.zone.key));
  }
}

/**
 * Every zone of `zones` lies in the region; the list holds `gcp:zone`, node 0's zone (which it keeps
 * whatever the count, so adding nodes never moves it); and two or more nodes have two zones or more,
 * so one zone's outage leaves a node serving. A zone named twice is taken once.
 */
function checkZones(r: FieldReader, get: ReadValues): void {
  const region = get("gcp.region");
  const zone = get("gcp.zone");
  const zones = get("zones");
  const nodes = get("nodes");
  if (region === undefined || zone === undefined || !zone.startsWith(`${region}-`)) return;
  const field = fields.zones;
  const found = r.shown(field.key);
  if (zones !== undefined) {
    const outside = zones.flatMap((item, index) => (item.startsWith(`${region}-`) ? [] : [index]));
    for (const index of outside) {
      r.reportWithCommand({
        key: field.key,
        found,
        expected: `${field.expected}; item ${index} (${JSON.stringify(zones[index])}) is not a zone of ${fields.region.key} ${region}`,
        fix: setItemCommand(r.stack, field.key, index, zone),
      });
    }
    if (outside.length > 0) return;
    if (!zones.includes(zone)) {
      r.reportWithCommand({
        key: field.key,
        found,
        expected: `${field.expected}; it leaves out ${fields.zone.key} ${zone}, where node 0 runs (moving it would replace the VM)`,
        fix: setItemCommand(r.stack, field.key, zones.length, zone),
      });
      return;
    }
  }
  if (nodes !== undefined && nodes >= 2 && zoneRotation({ nodes, zones, gcp: { region, zone } }).length < 2) {
    const other = zone === `${region}-b` ? `${region}-c` : `${region}-b`;
    r.reportWithCommand({
      key: field.key,
      found,
      expected: `${field.expected}; with ${nodes} nodes it needs a second zone, so that one zone's outage leaves a node taking calls`,
      fix: setItemCommand(r.stack, field.key, zones?.length ?? 1, other),
    });
  }
}

/** Twilio accepts either the account auth token or an API key pair; exactly one must be configured. */
function checkTwilioCredential(r: FieldReader): void {
  const { twilioAuthToken: token, twilioApiKeySid: sid, twilioApiKeySecret: secret } = fields;
  const hasKey = r.has(sid.key) || r.has(secret.key);
  if (r.has(token.key) && hasKey) {
    // Keep the credential that is complete; of two complete ones, the API key pair, which can be
    // revoked without touching the account's auth token.
    const remove = r.has(sid.key) && r.has(secret.key) ? [token.key] : [sid.key, secret.key].filter((k) => r.has(k));
    r.reportWithCommand({
      key: sid.key,
      found: r.shown(sid.key),
      expected: `either twilioAuthToken or the twilioApiKeySid + twilioApiKeySecret pair, not both (the fix removes ${remove.join(" and ")})`,
      fix: remove.map((k) => removeCommand(r.stack, k)).join(" && "),
    });
    return;
  }
  const needed = hasKey ? [sid, secret] : [token];
  for (const field of needed.filter((f) => !r.has(f.key))) r.report(field, "(not set)");
}

/** Deepgram only transcribes: the worker needs OpenAI for the rest of that pipeline. */
function checkAiKeys(r: FieldReader): void {
  const { openaiApiKey: openai, deepgramApiKey: deepgram } = fields;
  if (r.has(deepgram.key) && !r.has(openai.key)) {
    r.report({ ...openai, expected: `${openai.expected}, set too: deepgramApiKey alone runs no pipeline` }, "(not set)");
  }
}

/**
 * A key of the project's namespace that nothing reads is a mistake (a misspelt `turnEnable` would
 * otherwise leave TURN off without a word): each is named with the closest known key, and the fix
 * moves its value there when it is close enough to be a misspelling, else removes it.
 */
function checkUnknownKeys(r: FieldReader): void {
  const known = [...configFieldList.map((f) => f.key), ...providerOnlyKeys].filter((k) => k.startsWith(`${projectNamespace}:`));
  const bare = (k: string) => k.slice(projectNamespace.length + 1);
  for (const unknown of r.keysIn(projectNamespace).filter((k) => !known.includes(k)).sort()) {
    const closest = closestKey(bare(unknown), known.map(bare));
    if (closest === undefined) continue;
    const target = `${projectNamespace}:${closest.key}`;
    const rename = isLikelyMisspelling(bare(unknown), closest.distance);
    // A misspelt secret key holds a secret even when it was set in clear.
    const secret = rename && configFieldList.some((f) => f.key === target && f.secret);
    r.reportWithCommand({
      key: unknown,
      found: r.shown(unknown, secret),
      expected: rename
        ? `a key this program reads (did you mean ${target}?)`
        : `a key this program reads (none is close; the closest is ${target}); see the README's config table`,
      fix: rename ? [removeCommand(r.stack, unknown), ...moveCommands(r, unknown, target, secret)].join(" && ") : removeCommand(r.stack, unknown),
    });
  }
}

/** Commands that store the value held at `from` under `to`, never echoing a secret (`to` is one, or `from` was stored as one). */
function moveCommands(r: FieldReader, from: string, to: string, secret: boolean): string[] {
  if (secret || r.isSecret(from)) return [setCommand(r.stack, `--secret ${to} <value>`)];
  const value = r.rawValue(from) ?? "";
  const items = parseStringList(value);
  return items === undefined ? [setCommand(r.stack, to, value)] : items.map((item, i) => setItemCommand(r.stack, to, i, item));
}

/** The items of a JSON list of strings, or undefined for any other value. */
function parseStringList(text: string): string[] | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Public ports must not take an internal port, and UDP ports must not fall inside the RTP range. */
function checkPorts(r: FieldReader, get: ReadValues): void {
  const rtpStart = get("ports.rtpStart");
  const rtpEnd = get("ports.rtpEnd");
  const rtpKnown = rtpStart !== undefined && rtpEnd !== undefined;
  if (rtpKnown && rtpStart >= rtpEnd) {
    // The default range's width above the start, or the start moved back to its default when no port fits above it.
    const width = fields.rtpPortEnd.default - fields.rtpPortStart.default;
    const fix = rtpStart < 65535 ? `${fields.rtpPortEnd.key} ${Math.min(65535, rtpStart + width)}` : fields.rtpPortStart.fix;
    r.report({ ...fields.rtpPortEnd, expected: `a port above rtpPortStart (${rtpStart})`, fix }, String(rtpEnd));
  }
  const sip = get("ports.sip");
  const rtcTcp = get("ports.rtcTcp");
  const tcp: [ValueField, number | undefined][] = [
    [fields.rtcTcpPort, rtcTcp],
    [fields.sipPort, sip],
  ];
  for (const [field, value] of tcp) {
    if (value !== undefined && reservedTcpPorts[value] !== undefined) {
      r.report({ ...field, expected: `a port not used by ${reservedTcpPorts[value]}` }, String(value));
    }
  }
  if (get("secureTrunking") === true) {
    for (const [field, value] of tcp) {
      if (value === sipTlsPort) r.report({ ...field, expected: `a port other than ${sipTlsPort}, where livekit-sip takes SIP over TLS (secureTrunking)` }, String(value));
    }
  }
  if (rtcTcp !== undefined && rtcTcp === sip) {
    r.report({ ...fields.rtcTcpPort, expected: "a port different from sipPort" }, String(rtcTcp));
  }
  const udp: [ValueField, number | undefined][] = [
    [fields.rtcUdpPort, get("ports.rtcUdp")],
    [fields.sipPort, sip],
    [fields.turnUdpPort, get("ports.turnUdp")],
  ];
  const seen = new Map<number, string>();
  for (const [field, value] of udp) {
    if (value === undefined) continue;
    if (rtpKnown && value >= rtpStart && value <= rtpEnd) {
      r.report({ ...field, expected: `a port outside the RTP range ${rtpStart}-${rtpEnd}` }, String(value));
    }
    const other = seen.get(value);
    if (other !== undefined) {
      r.report({ ...field, expected: `a UDP port different from ${other}` }, String(value));
    }
    seen.set(value, field.key);
  }
}
