/**
 * Rules for the values LiveKit SIP trunks and dispatch rules hold. Each returns undefined
 * when the value is fine, else what was expected and how to write it.
 *
 * These run inside the dynamic providers' `check`, after Pulumi serialized the provider
 * closure: they stay plain functions over regular expressions (no library objects at module
 * scope, which the serializer would have to copy by value). LiveKit's own server checks are
 * looser: an allowed-address list whose every entry is unparsable silently admits any
 * source, and a `sip:` address is only refused at call time, so these run before any API call.
 */

/** A problem with one value: what was expected, phrased for the person fixing the config. */
export type ValueProblem = string | undefined;

const E164 = /^\+[1-9]\d{6,14}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const COUNTRY = /^[A-Z]{2}$/;
// RFC 3261 token characters; LiveKit refuses other header names.
const X_HEADER = /^X-[A-Za-z0-9\-.!%*_+`'~]+$/;
const PRINTABLE_ASCII = /^[\t\x20-\x7e]*$/;
const ROOM_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// The worker's AGENT_NAME rule (worker/src/worker-config.ts): a rule must name an agent a worker can register as.
const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const TRUNK_ID = /^ST_[A-Za-z0-9]+$/;

/** Transports an outbound trunk can use to reach the carrier; `auto` lets livekit-sip choose. */
export const sipTransports = ["auto", "udp", "tcp", "tls"] as const;

/** One of {@link sipTransports}. */
export type SipTransportName = (typeof sipTransports)[number];

/** Whether a trunk's calls encrypt their media (SRTP with SDES keys), in LiveKit's enum order (DISABLE=0 … REQUIRE=2). */
export const sipMediaEncryptions = ["disable", "allow", "require"] as const;

/** One of {@link sipMediaEncryptions}. */
export type SipMediaEncryptionName = (typeof sipMediaEncryptions)[number];

/** A media encryption name from {@link sipMediaEncryptions}. */
export function mediaEncryptionProblem(value: string): ValueProblem {
  return (sipMediaEncryptions as readonly string[]).includes(value)
    ? undefined
    : `expected one of ${sipMediaEncryptions.join(", ")} (require refuses a call whose SDP offers no SRTP key)`;
}

/**
 * The encryption a trunk LiveKit returns holds: `media.encryption`, else the deprecated
 * `mediaEncryption`; a trunk that never set either (DISABLE, the proto default) reads as unset.
 */
export function mediaEncryptionName(info: { media?: { encryption?: number }; mediaEncryption?: number }): SipMediaEncryptionName | undefined {
  const code = info.media?.encryption ?? (info.mediaEncryption ? info.mediaEncryption : undefined);
  return code === undefined ? undefined : (sipMediaEncryptions[code] ?? undefined);
}

/** A phone number in E.164 form, as LiveKit trunks and Twilio numbers hold it. */
export function e164Problem(value: string): ValueProblem {
  return E164.test(value)
    ? undefined
    : "expected an E.164 phone number: '+', the country code and the subscriber number, 7-15 digits in all, no spaces or dashes (e.g. +14155550100)";
}

/** An IP address or CIDR block LiveKit accepts inbound SIP traffic from. */
export function allowedAddressProblem(value: string): ValueProblem {
  // Required here, not imported: this runs inside the serialized provider closure.
  const { isIP } = require("node:net") as typeof import("node:net");
  const [address, prefix, ...rest] = value.split("/");
  const family = isIP(address);
  const prefixOk =
    prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  return family !== 0 && rest.length === 0 && prefixOk
    ? undefined
    : "expected an IP address or CIDR block such as 54.172.60.0/30 or 2600:1f18::/32 (the carrier's signaling range)";
}

/**
 * The SIP server an outbound trunk dials: a hostname or IPv4 address with an optional `:port`.
 * Not a SIP URI: LiveKit refuses `sip:` prefixes, `user@` parts and `;transport=` parameters.
 */
export function sipHostProblem(value: string): ValueProblem {
  if (/^sips?:/i.test(value) || /[@;]/.test(value)) {
    return "expected a bare host such as example.pstn.twilio.com, not a SIP URI: drop the 'sip:' prefix, any user@ part and ';' parameters (the transport has its own field)";
  }
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(value);
  const port = match?.[2] === undefined ? 5060 : Number(match[2]);
  const hostOk = match !== null && (IPV4.test(match[1]) || HOSTNAME.test(match[1]));
  return hostOk && port >= 1 && port <= 65535
    ? undefined
    : "expected a hostname or IPv4 address with an optional :port (1-65535), e.g. example.pstn.twilio.com";
}

/** ISO 3166-1 alpha-2 country code, which LiveKit uses to pin outbound call routing. */
export function countryProblem(value: string): ValueProblem {
  return COUNTRY.test(value) ? undefined : "expected an ISO 3166-1 alpha-2 country code in upper case, e.g. US or IN";
}

/** A transport name from {@link sipTransports}. */
export function transportProblem(value: string): ValueProblem {
  return (sipTransports as readonly string[]).includes(value) ? undefined : `expected one of ${sipTransports.join(", ")}`;
}

/** Name of a custom SIP header sent with every INVITE; LiveKit passes `X-*` headers as-is. */
export function headerNameProblem(value: string): ValueProblem {
  return X_HEADER.test(value)
    ? undefined
    : "expected a custom SIP header name starting with 'X-', made of letters, digits and -.!%*_+`'~ (e.g. X-Agent-Studio-Env)";
}

/** Value of a custom SIP header: printable ASCII, at most 1024 characters, as LiveKit requires. */
export function headerValueProblem(value: string): ValueProblem {
  if (value.length > 1024) {
    return "expected at most 1024 characters";
  }
  return PRINTABLE_ASCII.test(value) ? undefined : "expected printable ASCII only (no line breaks or non-ASCII characters)";
}

/** Prefix of the per-call room names, kept URL- and log-safe. */
export function roomPrefixProblem(value: string): ValueProblem {
  return ROOM_PREFIX.test(value)
    ? undefined
    : "expected 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit (e.g. call-)";
}

/** The `agent_name` a worker registers with; explicit dispatch targets it by this name. */
export function agentNameProblem(value: string): ValueProblem {
  return AGENT_NAME.test(value)
    ? undefined
    : "expected the worker's agent_name: 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit";
}

/** A LiveKit SIP trunk ID (`ST_…`). */
export function trunkIdProblem(value: string): ValueProblem {
  return TRUNK_ID.test(value) ? undefined : "expected a LiveKit SIP trunk ID such as ST_a1b2c3d4e5f6";
}

/** A non-empty display name of at most 128 characters. */
export function displayNameProblem(value: string): ValueProblem {
  return value.length >= 1 && value.length <= 128 ? undefined : "expected a name of 1-128 characters";
}
