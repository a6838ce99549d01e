import { z } from "zod";
import { agentNameProblem } from "../../providers/livekit/sip-values";
import { internalServices } from "../runtime-config/host-layout";
import { sipTlsPort } from "../runtime-config/sip-tls";
import { sipPasswordShortfalls } from "../../providers/twilio/rules";
import { versions } from "../versions";
import { agentsByNumberField, checkAgentsByNumber } from "./agents-by-number";
import { twilioMediaCidrs, twilioSignalingCidrs } from "./carrier-ranges";
import { FieldReader, type FieldSpec, type ListFieldSpec, type RawConfig } from "./field-reader";
import { removeCommand, setCommand, setItemCommand } from "./fix-commands";
import { coversWholeInternet } from "./internet-coverage";
import { closestKey, isLikelyMisspelling } from "./key-distance";
import { boolean, hostname, ipv4Cidr, matching, pinnedTag, wholeNumber } from "./parsers";
import { defaultMaxCallMinutes, maxCallMinutesLimit } from "../call-limits";
import type { ConfigProblem } from "./problems";
import type { ValidatedConfig } from "./stack-config";

/** The Pulumi project name; the namespace of every project config key. */
export const projectNamespace = "agent-studio-voice";

const key = (name: string): string => `${projectNamespace}:${name}`;

/**
 * TCP ports the host serves itself; no public port may take them, since its internet-facing rule
 * would then expose Caddy's other listener or an internal service (livekit-sip binds its health
 * and metrics ports on every interface).
 */
const reservedTcpPorts: Record<number, string> = {
  80: "ACME HTTP-01",
  443: "Caddy TLS",
  ...Object.fromEntries(internalServices.map(({ port, what }) => [port, `${what} (internal, never public)`])),
};

const port = (name: string, fallback: number, what: string): FieldSpec<number> => ({
  key: key(name),
  schema: wholeNumber(1024, 65535),
  expected: `the ${what} port, a whole number from 1024 to 65535`,
  fix: `${key(name)} ${fallback}`,
  default: fallback,
});

/** Refuses a CIDR list that admits every internet source, as `0.0.0.0/0` alone would. */
const notWholeInternet = (cidrs: readonly string[]): string | undefined =>
  coversWholeInternet(cidrs) ? "together these CIDRs cover every address the internet sends from, as 0.0.0.0/0 does" : undefined;

/**
 * How each key of the project's config is read, by name. Exported so tests can check every
 * field's fix command against the CLI.
 */
export const configFields = {
  domain: {
    key: key("domain"),
    schema: hostname,
    expected: "the public DNS name of the voice host in lower case, e.g. voice.example.com",
    fix: `${key("domain")} <your domain>`,
  },
  project: {
    key: "gcp:project",
    schema: matching(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/),
    expected: "a GCP project ID (6-30 lower-case letters, digits, hyphens)",
    fix: "gcp:project <your project ID>",
  },
  region: {
    key: "gcp:region",
    schema: matching(/^[a-z]+-[a-z]+\d+$/),
    expected: "a GCP region such as us-central1",
    fix: "gcp:region us-central1",
  },
  zone: {
    key: "gcp:zone",
    schema: matching(/^[a-z]+-[a-z]+\d+-[a-z]$/),
    expected: "a GCP zone such as us-central1-a",
    fix: "gcp:zone us-central1-a",
  },
  machineType: {
    key: key("machineType"),
    schema: matching(/^[a-z][a-z0-9]*-[a-z0-9-]+$/),
    expected: "a GCE machine type such as n2-standard-4",
    fix: `${key("machineType")} n2-standard-4`,
    default: "n2-standard-4",
  },
  diskSizeGb: {
    key: key("diskSizeGb"),
    schema: wholeNumber(20, 2000),
    expected: "the boot disk size in GB, a whole number from 20 to 2000",
    fix: `${key("diskSizeGb")} 30`,
    default: 30,
  },
  dnsManagedZone: {
    key: key("dnsManagedZone"),
    schema: matching(/^[a-z][a-z0-9-]{0,62}$/),
    expected: "the name of a Cloud DNS managed zone in the project (lower case, digits, hyphens)",
    fix: `${key("dnsManagedZone")} <your Cloud DNS zone>`,
  },
  livekitApiKey: {
    key: key("livekitApiKey"),
    schema: matching(/^[A-Za-z0-9_-]{3,64}$/),
    expected: "a LiveKit API key of 3-64 letters, digits, '_' or '-'",
    fix: `${key("livekitApiKey")} APIvoiceprod`,
  },
  livekitApiSecret: {
    key: key("livekitApiSecret"),
    schema: matching(/^[A-Za-z0-9_+/=-]{32,128}$/),
    expected: "a LiveKit API secret of 32-128 characters without spaces (livekit-server refuses shorter ones)",
    fix: `${key("livekitApiSecret")} "$(openssl rand -base64 36)"`,
    secret: true,
  },
  agentName: {
    key: key("agentName"),
    schema: z.string().refine((v) => agentNameProblem(v) === undefined),
    expected: "the agent_name the worker registers: 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit",
    fix: `${key("agentName")} agent-studio-voice`,
    default: "agent-studio-voice",
  },
  logLevel: {
    key: key("logLevel"),
    schema: z.enum(["debug", "info", "warn", "error"]),
    expected: "one of debug, info, warn, error",
    fix: `${key("logLevel")} info`,
    default: "info" as const,
  },
  rtcTcpPort: port("rtcTcpPort", 7881, "WebRTC ICE/TCP"),
  rtcUdpPort: port("rtcUdpPort", 7882, "WebRTC ICE/UDP (single muxed)"),
  sipPort: port("sipPort", 5060, "SIP signaling"),
  rtpPortStart: port("rtpPortStart", 10000, "first RTP media"),
  rtpPortEnd: port("rtpPortEnd", 20000, "last RTP media"),
  turnUdpPort: port("turnUdpPort", 3478, "embedded TURN/UDP"),
  maxCallMinutes: {
    key: key("maxCallMinutes"),
    schema: wholeNumber(1, maxCallMinutesLimit),
    expected: `the longest call in minutes, a whole number from 1 to ${maxCallMinutesLimit} (GCE gives a VM at most an hour to shut down gracefully; the rest stops after the calls)`,
    fix: `${key("maxCallMinutes")} ${defaultMaxCallMinutes}`,
    default: defaultMaxCallMinutes,
  },
  turnEnabled: {
    key: key("turnEnabled"),
    schema: boolean,
    expected: "true or false",
    fix: `${key("turnEnabled")} false`,
    default: false,
  },
  secureTrunking: {
    key: key("secureTrunking"),
    schema: boolean,
    expected: "true (SIP over TLS on 5061 and SRTP media with the carrier) or false (clear SIP on sipPort and clear RTP)",
    fix: `${key("secureTrunking")} true`,
    default: true,
  },
  carrierSignalingCidrs: {
    key: key("carrierSignalingCidrs"),
    item: ipv4Cidr,
    expected:
      "a non-empty list of IPv4 CIDRs the carrier sends SIP signaling from, never 0.0.0.0/0 or CIDRs that together cover the internet (SIP open to the internet draws toll fraud)",
    example: "54.172.60.0/30",
    whole: notWholeInternet,
    default: twilioSignalingCidrs,
  } satisfies ListFieldSpec,
  carrierMediaCidrs: {
    key: key("carrierMediaCidrs"),
    item: ipv4Cidr,
    expected: "a non-empty list of IPv4 CIDRs the carrier sends RTP media from, never 0.0.0.0/0 or CIDRs that together cover the internet",
    example: "168.86.128.0/18",
    whole: notWholeInternet,
    default: twilioMediaCidrs,
  } satisfies ListFieldSpec,
  adminCidrs: {
    key: key("adminCidrs"),
    item: ipv4Cidr,
    expected: "a non-empty list of IPv4 CIDRs allowed to SSH for deploys, never 0.0.0.0/0 or CIDRs that together cover the internet",
    example: "<your office CIDR>",
    whole: notWholeInternet,
  } satisfies ListFieldSpec,
  livekitServerVersion: {
    key: key("livekitServerVersion"),
    schema: pinnedTag,
    expected: "a pinned livekit-server release tag such as v1.13.11 (never latest)",
    fix: `${key("livekitServerVersion")} ${versions.livekitServer}`,
    default: versions.livekitServer,
  },
  livekitSipVersion: {
    key: key("livekitSipVersion"),
    schema: pinnedTag,
    expected: "a pinned livekit-sip release tag such as v1.3.0 (never latest)",
    fix: `${key("livekitSipVersion")} ${versions.livekitSip}`,
    default: versions.livekitSip,
  },
  redisVersion: {
    key: key("redisVersion"),
    schema: pinnedTag,
    expected: "a pinned redis image tag such as 7.4.2-alpine (never latest)",
    fix: `${key("redisVersion")} ${versions.redis}`,
    default: versions.redis,
  },
  caddyVersion: {
    key: key("caddyVersion"),
    schema: pinnedTag,
    expected: "a pinned caddy image tag such as 2.9.1-alpine (never latest)",
    fix: `${key("caddyVersion")} ${versions.caddy}`,
    default: versions.caddy,
  },
  twilioAccountSid: {
    key: key("twilioAccountSid"),
    schema: matching(/^AC[0-9a-f]{32}$/),
    expected: "a Twilio account SID: AC followed by 32 hex digits",
    fix: `${key("twilioAccountSid")} <account SID>`,
  },
  twilioAuthToken: {
    key: key("twilioAuthToken"),
    schema: matching(/^[0-9a-f]{32}$/),
    expected: "the Twilio auth token (32 hex digits)",
    fix: `${key("twilioAuthToken")} <auth token>`,
    secret: true,
  },
  twilioApiKeySid: {
    key: key("twilioApiKeySid"),
    schema: matching(/^SK[0-9a-f]{32}$/),
    expected: "a Twilio API key SID: SK followed by 32 hex digits",
    fix: `${key("twilioApiKeySid")} <API key SID>`,
  },
  twilioApiKeySecret: {
    key: key("twilioApiKeySecret"),
    schema: matching(/^[A-Za-z0-9]{32}$/),
    expected: "the Twilio API key secret (32 letters and digits)",
    fix: `${key("twilioApiKeySecret")} <API key secret>`,
    secret: true,
  },
  twilioTrunkDomain: {
    key: key("twilioTrunkDomain"),
    schema: matching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.pstn\.twilio\.com$/),
    expected: "a trunk domain name ending in .pstn.twilio.com, e.g. agent-studio-prod.pstn.twilio.com",
    fix: `${key("twilioTrunkDomain")} agent-studio-prod.pstn.twilio.com`,
  },
  phoneNumbers: {
    key: key("phoneNumbers"),
    item: matching(/^(\+[1-9]\d{6,14}|PN[0-9a-f]{32})$/),
    expected: "a non-empty list of E.164 numbers (+15551234567) or phone number SIDs (PN…) the account owns",
    example: "<E.164 number>",
    // An E.164 number always starts with `+`, the character a number-typed item lost.
    typedBack: (value) => `+${String(value)}`,
  } satisfies ListFieldSpec,
  sipUsername: {
    key: key("sipUsername"),
    schema: matching(/^[A-Za-z0-9._-]{1,32}$/),
    expected: "a SIP username of 1-32 letters, digits, '.', '_' or '-'",
    fix: `${key("sipUsername")} livekit-outbound`,
  },
  sipPassword: {
    key: key("sipPassword"),
    schema: z.string().refine((v) => sipPasswordShortfalls(v).length === 0),
    expected: "a SIP password with at least 12 characters (at most 255), a digit, an upper-case and a lower-case letter",
    // The suffix gives every generated password the digit and letters Twilio requires.
    fix: `${key("sipPassword")} "$(openssl rand -base64 18)Aa1"`,
    secret: true,
  },
  openaiApiKey: {
    key: key("openaiApiKey"),
    schema: matching(/^sk-[A-Za-z0-9_-]{16,256}$/),
    expected: "an OpenAI API key (sk-…) for the worker's realtime or speech-to-text → LLM → text-to-speech pipeline",
    fix: `${key("openaiApiKey")} <OpenAI API key>`,
    secret: true,
  },
  deepgramApiKey: {
    key: key("deepgramApiKey"),
    schema: matching(/^[A-Za-z0-9]{20,128}$/),
    expected: "a Deepgram API key (letters and digits) for the worker's speech-to-text",
    fix: `${key("deepgramApiKey")} <Deepgram API key>`,
    secret: true,
  },
} satisfies Record<string, FieldSpec<any> | ListFieldSpec>;

const fields = configFields;

/**
 * Keys of the project's namespace that the program does not validate but its dynamic providers
 * read (providers/twilio/settings.ts): a test seam, so not unknown.
 */
const providerOnlyKeys = [key("twilioApiBaseUrl")];

/** Outcome of validation: the typed config, or every problem found. */
export type ValidationResult = { ok: true; config: ValidatedConfig } | { ok: false; problems: ConfigProblem[] };

/**
 * Validates a stack's whole config in one pass. Pure: no Pulumi runtime, no I/O. Every bad key
 * yields one problem; checks spanning several keys (zone in region, port clashes, Twilio
 * credentials) run only when their keys parsed.
 */
export function validateStackConfig(raw: RawConfig, stack: string): ValidationResult {
  const r = new FieldReader(raw, stack);
  const domain = r.read(fields.domain);
  const project = r.read(fields.project);
  const region = r.read(fields.region);
  const zone = r.read(fields.zone);
  const machineType = r.read(fields.machineType);
  const diskSizeGb = r.read(fields.diskSizeGb);
  const dnsManagedZone = r.readOptional(fields.dnsManagedZone);
  const apiKey = r.read(fields.livekitApiKey);
  const apiSecret = r.read(fields.livekitApiSecret);
  const logLevel = r.read(fields.logLevel);
  const agentName = r.read(fields.agentName);
  const ports = {
    rtcTcp: r.read(fields.rtcTcpPort),
    rtcUdp: r.read(fields.rtcUdpPort),
    sip: r.read(fields.sipPort),
    rtpStart: r.read(fields.rtpPortStart),
    rtpEnd: r.read(fields.rtpPortEnd),
    turnUdp: r.read(fields.turnUdpPort),
  };
  const turnEnabled = r.read(fields.turnEnabled);
  const secureTrunking = r.read(fields.secureTrunking);
  const maxCallMinutes = r.read(fields.maxCallMinutes);
  const signalingCidrs = r.readList(fields.carrierSignalingCidrs);
  const mediaCidrs = r.readList(fields.carrierMediaCidrs);
  const adminCidrs = r.readList(fields.adminCidrs);
  const imageVersions = {
    livekitServer: r.read(fields.livekitServerVersion),
    livekitSip: r.read(fields.livekitSipVersion),
    redis: r.read(fields.redisVersion),
    caddy: r.read(fields.caddyVersion),
  };
  const accountSid = r.read(fields.twilioAccountSid);
  const twilioAuth = readTwilioAuth(r);
  const trunkDomain = r.read(fields.twilioTrunkDomain);
  const phoneNumbers = r.readList(fields.phoneNumbers);
  const agentsByNumberEntries = r.read(agentsByNumberField);
  const agentsByNumber = agentsByNumberEntries && checkAgentsByNumber(r, agentsByNumberEntries, phoneNumbers);
  const sipUsername = r.read(fields.sipUsername);
  const sipPassword = r.read(fields.sipPassword);
  const openaiApiKey = r.readOptional(fields.openaiApiKey);
  const deepgramApiKey = r.readOptional(fields.deepgramApiKey);
  // Deepgram only transcribes: the worker needs OpenAI for the rest of that pipeline.
  if (r.has(fields.deepgramApiKey.key) && !r.has(fields.openaiApiKey.key)) {
    r.report(
      { ...fields.openaiApiKey, expected: `${fields.openaiApiKey.expected}, set too: deepgramApiKey alone runs no pipeline` },
      "(not set)",
    );
  }

  if (region !== undefined && zone !== undefined && !zone.startsWith(`${region}-`)) {
    r.report({ ...fields.zone, expected: `a zone inside gcp:region ${region}, e.g. ${region}-a`, fix: `gcp:zone ${region}-a` }, r.shown("gcp:zone"));
  }
  checkPorts(r, ports, secureTrunking);
  checkUnknownKeys(r);

  const parsedPorts = allDefined(ports);
  const parsedVersions = allDefined(imageVersions);
  if (
    r.problems.length > 0 ||
    domain === undefined ||
    project === undefined ||
    region === undefined ||
    zone === undefined ||
    machineType === undefined ||
    diskSizeGb === undefined ||
    apiKey === undefined ||
    apiSecret === undefined ||
    logLevel === undefined ||
    agentName === undefined ||
    parsedPorts === undefined ||
    turnEnabled === undefined ||
    secureTrunking === undefined ||
    maxCallMinutes === undefined ||
    signalingCidrs === undefined ||
    mediaCidrs === undefined ||
    adminCidrs === undefined ||
    parsedVersions === undefined ||
    accountSid === undefined ||
    twilioAuth === undefined ||
    trunkDomain === undefined ||
    phoneNumbers === undefined ||
    agentsByNumber === undefined ||
    sipUsername === undefined ||
    sipPassword === undefined
  ) {
    return { ok: false, problems: r.problems };
  }
  return {
    ok: true,
    config: {
      stack,
      domain,
      gcp: { project, region, zone },
      machineType,
      diskSizeGb,
      dnsManagedZone,
      livekit: { apiKey, apiSecret },
      logLevel,
      agentName,
      agentsByNumber,
      ports: parsedPorts,
      turn: { enabled: turnEnabled },
      secureTrunking,
      maxCallMinutes,
      carrier: { signalingCidrs, mediaCidrs },
      adminCidrs,
      versions: parsedVersions,
      twilio: { accountSid, auth: twilioAuth, trunkDomain, phoneNumbers },
      sip: { username: sipUsername, password: sipPassword },
      ai: {
        ...(openaiApiKey === undefined ? {} : { openaiApiKey }),
        ...(deepgramApiKey === undefined ? {} : { deepgramApiKey }),
      },
    },
  };
}

/** Twilio accepts either the account auth token or an API key pair; exactly one must be configured. */
function readTwilioAuth(r: FieldReader): ValidatedConfig["twilio"]["auth"] | undefined {
  const hasToken = r.has(fields.twilioAuthToken.key);
  const hasSid = r.has(fields.twilioApiKeySid.key);
  const hasSecret = r.has(fields.twilioApiKeySecret.key);
  const hasKey = hasSid || hasSecret;
  if (hasToken && hasKey) {
    // Keep the credential that is complete; of two complete ones, the API key pair, which can be
    // revoked without touching the account's auth token.
    const remove = hasSid && hasSecret ? [fields.twilioAuthToken.key] : [fields.twilioApiKeySid.key, fields.twilioApiKeySecret.key].filter((k) => r.has(k));
    r.reportWithCommand({
      key: fields.twilioApiKeySid.key,
      found: r.shown(fields.twilioApiKeySid.key),
      expected: `either twilioAuthToken or the twilioApiKeySid + twilioApiKeySecret pair, not both (the fix removes ${remove.join(" and ")})`,
      fix: remove.map((k) => removeCommand(r.stack, k)).join(" && "),
    });
    return undefined;
  }
  if (hasKey) {
    const apiKeySid = r.read(fields.twilioApiKeySid);
    const apiKeySecret = r.read(fields.twilioApiKeySecret);
    return apiKeySid !== undefined && apiKeySecret !== undefined ? { kind: "apiKey", apiKeySid, apiKeySecret } : undefined;
  }
  const authToken = r.read(fields.twilioAuthToken);
  return authToken === undefined ? undefined : { kind: "authToken", authToken };
}

/**
 * A key of the project's namespace that nothing reads is a mistake (a misspelt `turnEnable` would
 * otherwise leave TURN off without a word): each is named with the closest known key, and the fix
 * moves its value there when it is close enough to be a misspelling, else removes it.
 */
function checkUnknownKeys(r: FieldReader): void {
  providerOnlyKeys.forEach((k) => r.has(k));
  const { unread, known } = r.unreadKeys(projectNamespace);
  const bare = (k: string) => k.slice(projectNamespace.length + 1);
  for (const unknown of unread) {
    const closest = closestKey(bare(unknown), known.map(bare));
    if (closest === undefined) continue;
    const target = key(closest.key);
    const rename = isLikelyMisspelling(bare(unknown), closest.distance);
    const spec = Object.values(fields).find((f) => f.key === target);
    // A misspelt secret key holds a secret even when it was set in clear.
    const secret = rename && spec !== undefined && "secret" in spec && spec.secret === true;
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

type Ports = ValidatedConfig["ports"];

/** Public ports must not take an internal port, and UDP ports must not fall inside the RTP range. */
function checkPorts(r: FieldReader, ports: { [K in keyof Ports]: number | undefined }, secureTrunking: boolean | undefined): void {
  const { rtpStart, rtpEnd } = ports;
  const rtpKnown = rtpStart !== undefined && rtpEnd !== undefined;
  if (rtpKnown && rtpStart >= rtpEnd) {
    // The default range's width above the start, or the start moved back to its default when no port fits above it.
    const fix =
      rtpStart < 65535
        ? `${fields.rtpPortEnd.key} ${Math.min(65535, rtpStart + 10000)}`
        : `${fields.rtpPortStart.key} ${fields.rtpPortStart.default}`;
    r.report({ ...fields.rtpPortEnd, expected: `a port above rtpPortStart (${rtpStart})`, fix }, String(rtpEnd));
  }
  const tcp: [FieldSpec<number>, number | undefined][] = [
    [fields.rtcTcpPort, ports.rtcTcp],
    [fields.sipPort, ports.sip],
  ];
  for (const [spec, value] of tcp) {
    if (value !== undefined && reservedTcpPorts[value] !== undefined) {
      r.report({ ...spec, expected: `a port not used by ${reservedTcpPorts[value]}` }, String(value));
    }
  }
  if (ports.rtcTcp !== undefined && ports.rtcTcp === ports.sip) {
    r.report({ ...fields.rtcTcpPort, expected: "a port different from sipPort" }, String(ports.rtcTcp));
  }
  if (secureTrunking === true) {
    for (const [spec, value] of tcp) {
      if (value === sipTlsPort) r.report({ ...spec, expected: `a port other than ${sipTlsPort}, where livekit-sip takes SIP over TLS (secureTrunking)` }, String(value));
    }
  }
  const udp: [FieldSpec<number>, number | undefined][] = [
    [fields.rtcUdpPort, ports.rtcUdp],
    [fields.sipPort, ports.sip],
    [fields.turnUdpPort, ports.turnUdp],
  ];
  const seen = new Map<number, string>();
  for (const [spec, value] of udp) {
    if (value === undefined) continue;
    if (rtpKnown && value >= rtpStart && value <= rtpEnd) {
      r.report({ ...spec, expected: `a port outside the RTP range ${rtpStart}-${rtpEnd}` }, String(value));
    }
    const other = seen.get(value);
    if (other !== undefined) {
      r.report({ ...spec, expected: `a UDP port different from ${other}` }, String(value));
    }
    seen.set(value, spec.key);
  }
}

function allDefined<T extends Record<string, unknown>>(record: { [K in keyof T]: T[K] | undefined }): T | undefined {
  return Object.values(record).every((v) => v !== undefined) ? (record as T) : undefined;
}
