/**
 * Every stack config key the program reads, in one table: where its value lands in the validated
 * config, how it is parsed, its default, whether it is a secret, and what the error says and
 * fixes. Validation, the typed config, the secret wrapping, the unknown-key error and the README's
 * config table check are all driven from it.
 *
 * Adding a key: declare where its value lands in {@link StackConfigOf} (stack-config.ts), add one
 * entry below, and a row to the README's config table, e.g.
 *
 *   alertEmail: value({ at: "alerts.email", schema: z.email(), expected: "an email address on-call reads", example: "oncall@example.com", optional: true }),
 *
 * (`default: …` instead of `optional: true` for a key with a default, neither for a required one;
 * `secret: true` where the config holds `S`; `list({ at, item, expected, example })` for a list).
 * tsc refuses the table when a path of the config has no key, a parser does not yield its path's
 * type, or a secret path is read without `secret: true` (or a plain one with it); `npm test`
 * (config-readme-table) fails until the README row is there. Checks spanning several keys go in
 * validate.ts.
 */
import { z } from "zod";
import { agentNameProblem, e164Problem } from "../../providers/livekit/sip-values";
import { MAX_SIP_PASSWORD, MAX_SIP_USERNAME, MIN_SIP_PASSWORD, sipPasswordShortfalls } from "../../providers/twilio/rules";
import { callsPerProcessLimit, defaultCallsPerProcess, defaultMaxCallMinutes, maxCallMinutesLimit } from "../call-limits";
import { minApiSecretLength } from "../runtime-config/livekit-yaml";
import { versions } from "../versions";
import { setEntryArgs } from "./fix-commands";
import { coversWholeInternet } from "./internet-coverage";
import { boolean, hostname, ipv4Cidr, jsonObject, matching, pinnedTag, wholeNumber } from "./parsers";
import type { ConfigPath, ConfigValue, SecretPath, StackConfigOf } from "./stack-config";

// Deliberately plain: Cloud Monitoring verifies the address itself when it creates the channel.
const emailAddress = /^[^\s@"'<>]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const notificationChannelName = /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/notificationChannels\/\d+$/;

/** The Pulumi project name; the namespace of every project config key. */
export const projectNamespace = "agent-studio-voice";

/** A secret path must be read as a secret, and only a secret path may be. */
type SecretFlag<P extends ConfigPath> = P extends SecretPath ? { secret: true } : { secret?: false };

/** The namespace of a key, when it is not the project's (`gcp:project`). */
type Namespace = { namespace?: "gcp" };

/** A key holding one value, parsed from the string Pulumi hands over. */
type ValueEntry<P extends ConfigPath> = {
  /** Where the value lands in the validated config. */
  at: P;
  /** Parses the raw string into the typed value. */
  schema: z.ZodType<ConfigValue<P>, string>;
  /** What a valid value looks like, for the error message. */
  expected: string;
  /** The key may be left unset (`at` stays undefined), without a default. */
  optional?: true;
  /** The command's words after `pulumi config set` that fix a bad value, when not `<key> <example>`. */
  fix?: (key: string) => string;
  /** The value must be stored as a Pulumi secret; checked against the path by `value()`. */
  secret?: boolean;
} & ({ default: ConfigValue<P>; example?: string } | { default?: undefined; example: string }) &
  Namespace;

/** Paths holding a list of strings. */
type ListPath = { [P in ConfigPath]: ConfigValue<P> extends string[] ? P : never }[ConfigPath];

/**
 * A list key. Pulumi hands a list over as JSON text; its items must be strings, which
 * `pulumi config set --path 'key[0]' --type string <item>` stores whatever the item looks like.
 */
type ListEntry<P extends ListPath> = {
  at: P;
  /** Checks one item. */
  item: z.ZodType<string, string>;
  /** What a valid list looks like, for the error message. */
  expected: string;
  /** A valid item, or a `<…>` placeholder for the person's own value, for the fix command. */
  example: string;
  /**
   * The text a person most likely typed for an item that `--path` without `--type string` stored
   * as a number or boolean (a phone number's `+` is lost: 15551234567 was `+15551234567`).
   * Defaults to the value as written.
   */
  typedBack?: (value: number | boolean) => string;
  /** What is wrong with the list as a whole (items all valid), or undefined. */
  whole?: (items: readonly string[]) => string | undefined;
  /** Value used when the key is not set; without one (or `optional`) the key is required. */
  default?: readonly string[];
  /** The key may be left unset (`at` stays undefined), without a default. */
  optional?: true;
  secret?: false;
} & Namespace;

/** What every field of the table holds once keyed. */
interface Keyed {
  /** Fully qualified key, e.g. `agent-studio-voice:diskSizeGb`. */
  key: string;
  /** The value must be stored as a Pulumi secret; its value is never echoed. */
  secret: boolean;
}

/** A key holding one value, as validation reads it. */
export type ValueField<T = unknown> = Keyed & {
  at: ConfigPath;
  schema: z.ZodType<T, string>;
  expected: string;
  /** The command's words after `pulumi config set` (without `--secret`) that fix a bad value. */
  fix: string;
  optional?: true;
  default?: T;
};

/** A list key, as validation reads it. */
export type ListField = Keyed & Omit<ListEntry<ListPath>, "secret" | "namespace">;

/** One field of the table. */
export type ConfigField = ValueField | ListField;

// The entry's own type is kept (a default given is known to be there), and checked against its path's.
const value = <P extends ConfigPath, E extends ValueEntry<P>>(entry: E & { at: P } & SecretFlag<P>): E => entry;
const list = <P extends ListPath, E extends ListEntry<P>>(entry: E & { at: P }): E => entry;

type PortPath = `ports.${keyof StackConfigOf<string>["ports"]}`;
type VersionPath = `versions.${keyof StackConfigOf<string>["versions"]}`;

// Each keeps its own path `P` (checked against the config's below), read through one entry for all paths of its kind.
const port = <P extends PortPath>(at: P, fallback: number, what: string) => ({
  ...value({ at: at as PortPath, schema: wholeNumber(1024, 65535), expected: `the ${what} port, a whole number from 1024 to 65535`, default: fallback }),
  at,
});

const pinnedVersion = <P extends VersionPath>(at: P, what: string) => {
  const fallback = versions[at.slice("versions.".length) as keyof StackConfigOf<string>["versions"]];
  return { ...value({ at: at as VersionPath, schema: pinnedTag, expected: `a pinned ${what} tag such as ${fallback} (never latest)`, default: fallback }), at };
};

/**
 * Twilio Elastic SIP Trunking's published source ranges, the defaults of `carrierSignalingCidrs`
 * and `carrierMediaCidrs` (the SIP and RTP firewall rules' sources), and of the policy pack's and
 * the doctor's carrier ranges. Source: https://www.twilio.com/docs/sip-trunking/ip-addresses
 * (signaling: one /30 per edge location; media: the single range used by every edge since 2022).
 */
export const twilioSignalingCidrs: readonly string[] = [
  "54.172.60.0/30", // ashburn (US East)
  "54.244.51.0/30", // umatilla (US West)
  "54.171.127.192/30", // dublin (Europe)
  "35.156.191.128/30", // frankfurt (Europe)
  "54.65.63.192/30", // tokyo (Asia Pacific)
  "54.169.127.128/30", // singapore (Asia Pacific)
  "54.252.254.64/30", // sydney (Asia Pacific)
  "177.71.206.192/30", // sao-paulo (South America)
];

/** Twilio's media (RTP) source range for every edge location. */
export const twilioMediaCidrs: readonly string[] = ["168.86.128.0/18"];

/**
 * Most voice nodes a stack takes: each one is an origination URL on the Twilio trunk and a backend
 * of the load balancer, and ten nodes already hold well over a hundred concurrent calls.
 */
export const maxNodes = 10;

/** Longest LiveKit API secret stack config takes (the README's `openssl rand -base64 36` gives 48 characters). */
const maxApiSecretLength = 128;

/** A LiveKit API secret stack config takes: long enough for livekit-server, without spaces. */
export const livekitApiSecretPattern = new RegExp(`^[A-Za-z0-9_+/=-]{${minApiSecretLength},${maxApiSecretLength}}$`);

/** Refuses a CIDR list that admits every internet source, as `0.0.0.0/0` alone would. */
const notWholeInternet = (cidrs: readonly string[]): string | undefined =>
  coversWholeInternet(cidrs) ? "together these CIDRs cover every address the internet sends from, as 0.0.0.0/0 does" : undefined;

/** The table, by key name. Its order is the order problems are reported in. */
const entries = {
  domain: value({
    at: "domain",
    schema: hostname,
    expected: "the public DNS name of the voice host in lower case, e.g. voice.example.com",
    example: "<your domain>",
  }),
  project: value({
    namespace: "gcp",
    at: "gcp.project",
    schema: matching(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/),
    expected: "a GCP project ID (6-30 lower-case letters, digits, hyphens)",
    example: "<your project ID>",
  }),
  region: value({
    namespace: "gcp",
    at: "gcp.region",
    schema: matching(/^[a-z]+-[a-z]+\d+$/),
    expected: "a GCP region such as us-central1",
    example: "us-central1",
  }),
  zone: value({
    namespace: "gcp",
    at: "gcp.zone",
    schema: matching(/^[a-z]+-[a-z]+\d+-[a-z]$/),
    expected: "a GCP zone such as us-central1-a",
    example: "us-central1-a",
  }),
  nodes: value({
    at: "nodes",
    schema: wholeNumber(1, maxNodes),
    expected: `the number of voice nodes, a whole number from 1 to ${maxNodes} (1: one host with its own Redis; 2 or more: Memorystore Redis and a load balancer)`,
    default: 1,
  }),
  zones: list({
    at: "zones",
    item: matching(/^[a-z]+-[a-z]+\d+-[a-z]$/),
    expected: "a non-empty list of zones of gcp:region, such as us-central1-b, holding gcp:zone (node 0's zone)",
    example: "us-central1-a",
    optional: true,
  }),
  machineType: value({
    at: "machineType",
    schema: matching(/^[a-z][a-z0-9]*-[a-z0-9-]+$/),
    expected: "a GCE machine type such as n2-standard-4",
    default: "n2-standard-4",
  }),
  diskSizeGb: value({
    at: "diskSizeGb",
    schema: wholeNumber(20, 2000),
    expected: "the boot disk size in GB, a whole number from 20 to 2000",
    default: 30,
  }),
  dnsManagedZone: value({
    at: "dnsManagedZone",
    schema: matching(/^[a-z][a-z0-9-]{0,62}$/),
    expected: "the name of a Cloud DNS managed zone in the project (lower case, digits, hyphens)",
    example: "<your Cloud DNS zone>",
    optional: true,
  }),
  livekitApiKey: value({
    at: "livekit.apiKey",
    schema: matching(/^[A-Za-z0-9_-]{3,64}$/),
    expected: "a LiveKit API key of 3-64 letters, digits, '_' or '-'",
    example: "APIvoiceprod",
  }),
  livekitApiSecret: value({
    at: "livekit.apiSecret",
    schema: matching(livekitApiSecretPattern),
    expected: `a LiveKit API secret of ${minApiSecretLength}-${maxApiSecretLength} characters without spaces (livekit-server refuses shorter ones)`,
    example: `"$(openssl rand -base64 36)"`,
    secret: true,
  }),
  logLevel: value({
    at: "logLevel",
    schema: z.enum(["debug", "info", "warn", "error"]),
    expected: "one of debug, info, warn, error",
    default: "info",
  }),
  agentName: value({
    at: "agentName",
    schema: z.string().refine((v) => agentNameProblem(v) === undefined),
    expected: "the agent_name the worker registers: 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit",
    default: "agent-studio-voice",
  }),
  rtcTcpPort: port("ports.rtcTcp", 7881, "WebRTC ICE/TCP"),
  rtcUdpPort: port("ports.rtcUdp", 7882, "WebRTC ICE/UDP (single muxed)"),
  sipPort: port("ports.sip", 5060, "SIP signaling"),
  rtpPortStart: port("ports.rtpStart", 10000, "first RTP media"),
  rtpPortEnd: port("ports.rtpEnd", 20000, "last RTP media"),
  turnUdpPort: port("ports.turnUdp", 3478, "embedded TURN/UDP"),
  turnEnabled: value({
    at: "turn.enabled",
    schema: boolean,
    expected: "true or false",
    default: false,
  }),
  secureTrunking: value({
    at: "secureTrunking",
    schema: boolean,
    expected: "true (SIP over TLS on 5061 and SRTP media with the carrier) or false (clear SIP on sipPort and clear RTP)",
    default: true,
  }),
  maxCallMinutes: value({
    at: "maxCallMinutes",
    schema: wholeNumber(1, maxCallMinutesLimit),
    expected: `the longest call in minutes, a whole number from 1 to ${maxCallMinutesLimit} (GCE gives a VM at most an hour to shut down gracefully; the rest stops after the calls)`,
    default: defaultMaxCallMinutes,
  }),
  callsPerProcess: value({
    at: "callsPerProcess",
    schema: wholeNumber(1, callsPerProcessLimit),
    expected: `the calls one worker process runs at once, a whole number from 1 to ${callsPerProcessLimit} (fewer: a crash ends fewer calls; more: less CPU and memory per call; 1 is a process per call)`,
    default: defaultCallsPerProcess,
  }),
  carrierSignalingCidrs: list({
    at: "carrier.signalingCidrs",
    item: ipv4Cidr,
    expected:
      "a non-empty list of IPv4 CIDRs the carrier sends SIP signaling from, never 0.0.0.0/0 or CIDRs that together cover the internet (SIP open to the internet draws toll fraud)",
    example: twilioSignalingCidrs[0],
    whole: notWholeInternet,
    default: twilioSignalingCidrs,
  }),
  carrierMediaCidrs: list({
    at: "carrier.mediaCidrs",
    item: ipv4Cidr,
    expected: "a non-empty list of IPv4 CIDRs the carrier sends RTP media from, never 0.0.0.0/0 or CIDRs that together cover the internet",
    example: twilioMediaCidrs[0],
    whole: notWholeInternet,
    default: twilioMediaCidrs,
  }),
  adminCidrs: list({
    at: "adminCidrs",
    item: ipv4Cidr,
    expected: "a non-empty list of IPv4 CIDRs allowed to SSH for deploys, never 0.0.0.0/0 or CIDRs that together cover the internet",
    example: "<your office CIDR>",
    whole: notWholeInternet,
  }),
  livekitServerVersion: pinnedVersion("versions.livekitServer", "livekit-server release"),
  livekitSipVersion: pinnedVersion("versions.livekitSip", "livekit-sip release"),
  redisVersion: pinnedVersion("versions.redis", "redis image"),
  caddyVersion: pinnedVersion("versions.caddy", "caddy image"),
  twilioAccountSid: value({
    at: "twilio.accountSid",
    schema: matching(/^AC[0-9a-f]{32}$/),
    expected: "a Twilio account SID: AC followed by 32 hex digits",
    example: "<account SID>",
  }),
  // The three Twilio credential keys are optional one by one: exactly one kind must be set, which
  // validation checks across them.
  twilioAuthToken: value({
    at: "twilio.auth.authToken",
    schema: matching(/^[0-9a-f]{32}$/),
    expected: "the Twilio auth token (32 hex digits)",
    example: "<auth token>",
    secret: true,
    optional: true,
  }),
  twilioApiKeySid: value({
    at: "twilio.auth.apiKeySid",
    schema: matching(/^SK[0-9a-f]{32}$/),
    expected: "a Twilio API key SID: SK followed by 32 hex digits",
    example: "<API key SID>",
    optional: true,
  }),
  twilioApiKeySecret: value({
    at: "twilio.auth.apiKeySecret",
    schema: matching(/^[A-Za-z0-9]{32}$/),
    expected: "the Twilio API key secret (32 letters and digits)",
    example: "<API key secret>",
    secret: true,
    optional: true,
  }),
  twilioTrunkDomain: value({
    at: "twilio.trunkDomain",
    schema: matching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.pstn\.twilio\.com$/),
    expected: "a trunk domain name ending in .pstn.twilio.com, e.g. agent-studio-prod.pstn.twilio.com",
    example: "agent-studio-prod.pstn.twilio.com",
  }),
  phoneNumbers: list({
    at: "twilio.phoneNumbers",
    // A dispatch rule and a LiveKit trunk hold the E.164 form: the same rule as theirs.
    item: z.string().refine((v) => e164Problem(v) === undefined || /^PN[0-9a-f]{32}$/.test(v)),
    expected: "a non-empty list of E.164 numbers (+15551234567) or phone number SIDs (PN…) the account owns",
    example: "<E.164 number>",
    // An E.164 number always starts with `+`, the character a number-typed item lost.
    typedBack: (item) => `+${String(item)}`,
  }),
  agentsByNumber: value({
    at: "agentsByNumber",
    // Each entry is checked against phoneNumbers once every key is read (checkAgentsByNumber):
    // until then its values are only known to be JSON.
    schema: jsonObject as z.ZodType<Record<string, string>, string>,
    expected: "a map from numbers of phoneNumbers (E.164) to the agent_name answering their calls, e.g. {\"+15551234567\": \"sales-agent\"}",
    fix: (key) => setEntryArgs(key, "+15551234567", "sales-agent"),
    default: {},
  }),
  sipUsername: value({
    at: "sip.username",
    schema: matching(new RegExp(`^[A-Za-z0-9._-]{1,${MAX_SIP_USERNAME}}$`)),
    expected: `a SIP username of 1-${MAX_SIP_USERNAME} letters, digits, '.', '_' or '-'`,
    example: "livekit-outbound",
  }),
  sipPassword: value({
    at: "sip.password",
    schema: z.string().refine((v) => sipPasswordShortfalls(v).length === 0),
    expected: `a SIP password with at least ${MIN_SIP_PASSWORD} characters (at most ${MAX_SIP_PASSWORD}), a digit, an upper-case and a lower-case letter`,
    // The suffix gives every generated password the digit and letters Twilio requires.
    example: `"$(openssl rand -base64 18)Aa1"`,
    secret: true,
  }),
  openaiApiKey: value({
    at: "ai.openaiApiKey",
    schema: matching(/^sk-[A-Za-z0-9_-]{16,256}$/),
    expected: "an OpenAI API key (sk-…) for the worker's realtime or speech-to-text → LLM → text-to-speech pipeline",
    example: "<OpenAI API key>",
    secret: true,
    optional: true,
  }),
  deepgramApiKey: value({
    at: "ai.deepgramApiKey",
    schema: matching(/^[A-Za-z0-9]{20,128}$/),
    expected: "a Deepgram API key (letters and digits) for the worker's speech-to-text",
    example: "<Deepgram API key>",
    secret: true,
    optional: true,
  }),
  // Alerting (components/observability): who is notified, and where the runbook is read.
  alertChannels: list({
    at: "alerting.channels",
    item: z.string().refine((v) => emailAddress.test(v) || notificationChannelName.test(v)),
    expected:
      "a non-empty list of who the alerts notify: email addresses (an email channel is created for each) or existing Cloud Monitoring notification channels (projects/<project>/notificationChannels/<id>); without one every alert would notify nobody",
    example: "<on-call email address>",
  }),
  runbookUrl: value({
    at: "alerting.runbookUrl",
    schema: matching(/^https:\/\/[^\s#"'<>]+$/),
    expected:
      "the https URL where your team reads this repository's README.md (each alert links its section there), e.g. https://github.com/acme/agent-studio-voice/blob/main/README.md",
    example: "<README URL>",
    optional: true,
  }),
};

// Every value of the validated config comes from a key of the table: tsc names a path left out here.
type ReadPath = (typeof entries)[keyof typeof entries]["at"];
const everyPathRead: [Exclude<ConfigPath, ReadPath>] extends [never] ? true : { pathsNoKeyFills: Exclude<ConfigPath, ReadPath> } = true;
void everyPathRead;

type Entries = typeof entries;

/** A table entry once keyed: its fully qualified key, and for a value key its fix command's words. */
type KeyedEntry<E> = Keyed &
  (E extends { item: unknown } ? Omit<E, "namespace" | "secret"> : Omit<E, "namespace" | "secret" | "example" | "fix"> & { fix: string });

/** What the keying below reads of an entry, whatever its kind. */
type AnyEntry = { namespace?: string; secret?: boolean; example?: string; fix?: (key: string) => string; default?: unknown; item?: unknown };

/** Every key the program reads, by name: the table above with its fully qualified keys. */
export const configFields = Object.fromEntries(
  Object.entries(entries as Record<string, AnyEntry>).map(([name, entry]) => {
    const { namespace = projectNamespace, secret = false, example, fix, ...rest } = entry;
    const key = `${namespace}:${name}`;
    if (rest.item !== undefined) return [name, { key, secret, example, ...rest }];
    return [name, { key, secret, ...rest, fix: fix?.(key) ?? `${key} ${example ?? String(rest.default)}` }];
  }),
) as { [N in keyof Entries]: KeyedEntry<Entries[N]> };

/** The fields of {@link configFields}, in its order. */
export const configFieldList: readonly ConfigField[] = Object.values(configFields);

/**
 * Keys of the project's namespace that the program does not validate but its dynamic providers
 * read (providers/twilio/settings.ts): a test seam, so not unknown.
 */
export const providerOnlyKeys: readonly string[] = [`${projectNamespace}:twilioApiBaseUrl`];
