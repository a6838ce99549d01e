/**
 * Twilio's documented input rules, checked before any API call so a bad value fails in
 * `pulumi preview` with a message naming the property, instead of as an HTTP 400 mid-deploy.
 * Each function returns the reason a value is invalid, or undefined when it is fine. Reasons
 * never quote secret values.
 *
 * Sources: the request descriptions in Twilio's OpenAPI documents
 * (@twilio-alpha/mcp twilio-oai/spec/json/twilio_trunking_v1.json, twilio_api_v2010.json).
 */

/** Matches a Twilio account SID. */
export const ACCOUNT_SID_PATTERN = /^AC[0-9a-fA-F]{32}$/;
/** Matches an API key SID. */
export const API_KEY_SID_PATTERN = /^SK[0-9a-fA-F]{32}$/;
/** Matches an incoming phone number SID. */
export const PHONE_NUMBER_SID_PATTERN = /^PN[0-9a-fA-F]{32}$/;
/** Matches an E.164 number: `+`, country code, up to 15 digits in all. */
const E164_PATTERN = /^\+[1-9]\d{1,14}$/;

/** Longest friendly name Twilio accepts on trunks, lists and origination URLs. */
const MAX_FRIENDLY_NAME = 64;
/** Longest SIP credential username ("It can be up to 32 characters long"). */
export const MAX_SIP_USERNAME = 32;
/** Shortest SIP credential password. */
export const MIN_SIP_PASSWORD = 12;
/** Longest SIP password (Twilio error 21223: "Must be fewer than 256 chars"). */
export const MAX_SIP_PASSWORD = 255;

/** A trunk's termination domain: letters, digits and `-` labels, ending in `pstn.twilio.com`. */
export function trunkDomainProblem(domain: string): string | undefined {
  if (!/^([a-z0-9-]+\.)+pstn\.twilio\.com$/i.test(domain) || /(^|\.)-|-\./.test(domain)) {
    return `"${domain}" is not a Twilio termination domain: use letters, digits and "-" followed by ".pstn.twilio.com", e.g. "agent-studio-prod.pstn.twilio.com"`;
  }
  return undefined;
}

/** A friendly name: non-empty, at most 64 characters. */
export function friendlyNameProblem(name: string): string | undefined {
  if (name.trim() === "") return "must not be empty";
  if (name.length > MAX_FRIENDLY_NAME) return `is ${name.length} characters; Twilio allows at most ${MAX_FRIENDLY_NAME}`;
  return undefined;
}

/** A SIP username: 1-32 characters with no whitespace, `:` or `@` (they break the SIP URI and digest header). */
export function sipUsernameProblem(username: string): string | undefined {
  if (username.length === 0) return "must not be empty";
  if (username.length > MAX_SIP_USERNAME) return `is ${username.length} characters; Twilio allows at most ${MAX_SIP_USERNAME}`;
  if (/[\s:@"]/.test(username)) return `"${username}" contains whitespace, ":", "@" or a quote, which SIP digest auth cannot carry`;
  return undefined;
}

/**
 * What a SIP password lacks under Twilio's rules: at least 12 characters, a digit, an upper- and a
 * lower-case letter, fewer than 256 characters. Empty when it is acceptable; never quotes it.
 * The one copy of these rules: config validation and the rotation script use it too.
 */
export function sipPasswordShortfalls(password: string): string[] {
  const missing: string[] = [];
  if (password.length < MIN_SIP_PASSWORD) missing.push(`at least ${MIN_SIP_PASSWORD} characters (it has ${password.length})`);
  if (!/\d/.test(password)) missing.push("a digit");
  if (!/[A-Z]/.test(password)) missing.push("an upper-case letter");
  if (!/[a-z]/.test(password)) missing.push("a lower-case letter");
  if (password.length > MAX_SIP_PASSWORD) missing.push(`at most ${MAX_SIP_PASSWORD} characters (it has ${password.length})`);
  return missing;
}

/** Why a SIP password breaks Twilio's rules ({@link sipPasswordShortfalls}), or undefined when it is fine. */
export function sipPasswordProblem(password: string): string | undefined {
  const missing = sipPasswordShortfalls(password);
  if (missing.length === 0) return undefined;
  return `does not meet Twilio's SIP password rules; it needs ${missing.join(", ")}. Set a new one with \`pulumi config set --secret sipPassword <password>\``;
}

/** A phone number given as E.164 (`+14155550100`) or as an incoming phone number SID (`PN…`). */
export function phoneNumberProblem(value: string): string | undefined {
  if (E164_PATTERN.test(value) || PHONE_NUMBER_SID_PATTERN.test(value)) return undefined;
  return `"${value}" is neither an E.164 number (e.g. "+14155550100") nor a phone number SID ("PN" + 32 hex digits)`;
}

/** An origination SIP URI Twilio can route to: `sip:` followed by a host and optional port/params. */
export function sipUrlProblem(url: string): string | undefined {
  if (!/^sip:[^\s@]+$/.test(url)) return `"${url}" is not a SIP URI; expected e.g. "sip:203.0.113.10:5060"`;
  return undefined;
}

/** Origination priority: integer 0-65535 (lower is tried first). */
export function priorityProblem(priority: number): string | undefined {
  return Number.isInteger(priority) && priority >= 0 && priority <= 65535 ? undefined : `${priority} is not an integer from 0 to 65535`;
}

/** Origination weight: integer 1-65535 (share of load among equal priorities). */
export function weightProblem(weight: number): string | undefined {
  return Number.isInteger(weight) && weight >= 1 && weight <= 65535 ? undefined : `${weight} is not an integer from 1 to 65535`;
}

/** A disaster-recovery URL: absolute http(s). */
export function httpUrlProblem(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "https:" || parsed.protocol === "http:") return undefined;
  } catch {
    // Fall through to the message below.
  }
  return `"${url}" is not an absolute http(s) URL`;
}

/** An IPv4 CIDR (`a.b.c.d/n`, n 8-32) or a bare IPv4 address, as Twilio IP access control lists accept. */
export function ipv4CidrProblem(cidr: string): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr);
  const octetsOk = match !== null && match.slice(1, 5).every((octet) => Number(octet) <= 255);
  const prefix = match?.[5] === undefined ? 32 : Number(match[5]);
  if (!octetsOk || prefix < 8 || prefix > 32) return `"${cidr}" is not an IPv4 address or CIDR with a prefix from /8 to /32`;
  return undefined;
}

/** Splits a valid IPv4 CIDR into the address and prefix length Twilio's IpAddress resource takes. */
export function splitCidr(cidr: string): { ipAddress: string; prefixLength: number } {
  const [ipAddress, prefix] = cidr.split("/");
  return { ipAddress, prefixLength: prefix === undefined ? 32 : Number(prefix) };
}
