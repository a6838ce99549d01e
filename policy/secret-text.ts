/**
 * How the policies recognise secrets. CrossGuard hands policies every property in plain text with
 * no mark of which values were Pulumi secrets (pulumi/pulumi-policy#241), so secrets are found by
 * what they are called and by unmistakable shapes, never by comparing against the stack's values.
 */

// Words that make a name a secret's name: LIVEKIT_API_SECRET, twilioAuthToken, sipPassword…
const secretWords = new Set(["secret", "token", "password", "passwd", "credential", "credentials", "apikey", "privatekey"]);
// …unless the name ends in one of these: then it names a reference to a secret, not the secret
// (TWILIO_API_KEY_SID, DB_PASSWORD_FILE, TOKEN_URL, tokenTtl).
const referenceWords = new Set(["sid", "id", "name", "url", "uri", "file", "path", "hash", "sha256", "ttl", "type", "kind", "length", "expiry", "expires", "endpoint", "ref", "version"]);
// Identifiers that look like secrets by name but are not: the LiveKit API key is the public half of its pair.
const publicNames = new Set(["livekit api key"]);

/** Lower-case words of a name in any convention: `LIVEKIT_API_SECRET`, `livekitApiSecret`, `api-secret`. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True when a variable, key or output name says it holds a secret. */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || referenceWords.has(words[words.length - 1]) || publicNames.has(words.join(" "))) return false;
  const pairs = words.slice(1).map((word, i) => `${words[i]}${word}`);
  return [...words, ...pairs].some((w) => secretWords.has(w));
}

/**
 * True when a declared value is a literal rather than a reference resolved elsewhere: empty
 * values, `$VAR`/`${VAR}`/`$(command)` expansions and YAML nulls carry no secret themselves.
 */
export function isLiteralValue(value: string | undefined): boolean {
  if (value === undefined) return false;
  const text = value.trim().replace(/^(["'])(.*)\1,?$/, "$2").replace(/,$/, "").trim();
  return text !== "" && !text.startsWith("$") && text !== "null" && text !== "~";
}

const assignment = /^\s*(?:export\s+|-\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*(.*)$/;
const privateKeyBlock = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const urlCredentials = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i;

/**
 * What in `text` looks like a secret in clear, one description per finding and never the value:
 * a private key block, a URL with a password, or a secret-named variable or key (`NAME=…`,
 * `name: …`, `"name": "…"`) given a literal value.
 */
export function secretsInText(text: string): string[] {
  const findings: string[] = [];
  if (privateKeyBlock.test(text)) findings.push("a private key");
  if (urlCredentials.test(text)) findings.push("a URL with an embedded password");
  for (const line of text.split("\n")) {
    const match = assignment.exec(line);
    if (match && isSecretName(match[1]) && isLiteralValue(match[2])) findings.push(`a value for ${match[1]}`);
  }
  return [...new Set(findings)];
}
