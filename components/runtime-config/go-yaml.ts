import { Document, parse, type Scalar, type ScalarTag, type Tags } from "yaml";

// livekit-server, livekit-sip and docker compose read their files with Go's gopkg.in/yaml.v3: a
// YAML 1.2 reader for numbers (0o17) with YAML 1.1 habits elsewhere, and libyaml's character
// rules (control characters refused, NEL/LS/PS taken for line breaks). Strings are therefore
// written by this module alone, never by the yaml library's own string styles: plain only when
// every reading agrees on the text, otherwise one quoted line, with explicit escapes where a
// character needs one (the library's multi-line double-quoted form loses a space between two
// newlines).

// Characters written as themselves inside quotes: YAML 1.1's printable set, less the line
// breaks (U+2028, U+2029) and the byte order mark, which libyaml would act upon.
const literal = /[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]|[\u{10000}-\u{10ffff}]/u;

const namedEscapes: Record<string, string> = { "\0": "\\0", "\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"', "\\": "\\\\" };

function hex(code: number, digits: number): string {
  return code.toString(16).toUpperCase().padStart(digits, "0");
}

/** `text` as one double-quoted line that YAML 1.1, YAML 1.2 and yaml.v3 all read back as `text`. */
function goDoubleQuoted(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char in namedEscapes) quoted += namedEscapes[char];
    else if (literal.test(char)) quoted += char;
    else quoted += code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  }
  return `${quoted}"`;
}

// Plain scalars yaml.v3 (resolve.go) reads as a number or a time of its own accord, where YAML 1.1
// and 1.2 may see a string ("0o17_"): with underscores removed, what Go's strconv takes for an
// integer (sign, 0b/0o/0x prefixes) or YAML's float pattern; and whatever starts like a date.
const goNumber = /^[-+]?(0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|[0-9]+)$|^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const goTimestampStart = /^[0-9]{4}-/;

function readsAsString(text: string, version: "1.1" | "1.2"): boolean {
  try {
    // "error": a refusal throws (and counts as not a string); warnings stay quiet.
    return parse(text, { version, logLevel: "error" }) === text;
  } catch {
    return false;
  }
}

/**
 * Whether `text` may be written plain: free of characters needing escapes, read as this same
 * string by YAML 1.1 and 1.2, and by yaml.v3.
 */
function plainIsExact(text: string): boolean {
  // "<<" reads as itself alone, but as a map key yaml.v3 takes it for YAML 1.1's merge key.
  if (text === "" || text === "<<" || !allLiteral(text)) return false;
  if (goNumber.test(text.replaceAll("_", "")) || goTimestampStart.test(text)) return false;
  return readsAsString(text, "1.1") && readsAsString(text, "1.2");
}

function allLiteral(text: string): boolean {
  return [...text].every((char) => literal.test(char));
}

/** Plain when exact; else double-quoted, or single-quoted (`'` doubled) where that spares escaping `"` and `\`. */
function stringifyForGo(item: Scalar): string {
  const text = String(item.value);
  if (/[\ud800-\udfff]/u.test(text)) {
    throw new Error("Cannot write YAML: a value holds a lone UTF-16 surrogate, which has no UTF-8 form");
  }
  if (plainIsExact(text)) return text;
  return allLiteral(text) && /["\\]/.test(text) ? `'${text.replaceAll("'", "''")}'` : goDoubleQuoted(text);
}

function isStringTag(tag: Tags[number]): tag is ScalarTag {
  return typeof tag === "object" && tag.tag === "tag:yaml.org,2002:str" && !("collection" in tag && tag.collection);
}

/**
 * The schema's tags with strings written by {@link stringifyForGo}, and without YAML 1.1's merge
 * tag, which would write a "<<" key plain: a merge key to yaml.v3.
 */
function withGoStrings(tags: Tags): Tags {
  return tags
    .filter((tag) => typeof tag !== "object" || tag.tag !== "tag:yaml.org,2002:merge")
    .map((tag) => (isStringTag(tag) ? { ...tag, stringify: stringifyForGo } : tag));
}

/**
 * Serializes a config object as YAML that Go's yaml.v3 reads back value for value (strings, also
 * map keys, exactly; numbers and booleans as such); shared objects are written out rather than
 * aliased. Throws for text that is not well-formed Unicode (a lone surrogate), which no UTF-8
 * file can hold.
 */
export function toGoYaml(value: object): string {
  const document = new Document(value, {
    version: "1.1",
    aliasDuplicateObjects: false,
    customTags: withGoStrings,
  });
  return document.toString({ lineWidth: 0 });
}
