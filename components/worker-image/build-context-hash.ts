import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** One `.dockerignore` rule as a matcher over slash-separated paths relative to the build context. */
interface IgnoreRule {
  /** Matches a path (a file, or a directory whose whole content it then covers). */
  pattern: RegExp;
  /** A `!` rule: re-includes what earlier rules excluded. */
  negated: boolean;
}

/** A Go `filepath.Match` pattern with Docker's `**` extension as a regular expression over a whole path. */
function patternToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "*" && pattern[i + 1] === "*") {
      // `**/` matches any number of directories, including none; a trailing `**` matches anything.
      source += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (char === "*") {
      source += "[^/]*";
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end === -1) throw new Error(`.dockerignore pattern ${JSON.stringify(pattern)} has an unclosed "["`);
      source += `[${pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
      i = end;
    } else {
      source += char.replace(/[.+^${}()|\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

/** The rules of a `.dockerignore` file's text, in order: comments and blank lines skipped, paths cleaned. */
export function parseDockerignore(text: string): IgnoreRule[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return [];
    const negated = trimmed.startsWith("!");
    const cleaned = path.posix.normalize(trimmed.slice(negated ? 1 : 0).trim()).replace(/^\/+/, "").replace(/\/+$/, "");
    return [{ pattern: patternToRegExp(cleaned), negated }];
  });
}

/**
 * Whether Docker leaves `relativePath` out of the build context: the last rule matching the path
 * or one of its parent directories decides, a `!` rule re-including.
 */
export function isIgnored(rules: readonly IgnoreRule[], relativePath: string): boolean {
  const segments = relativePath.split("/");
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.negated;
  }
  return ignored;
}

/**
 * SHA-256 (hex) of a Docker build context: every file Docker would send (its `.dockerignore`
 * applied), by relative path and content, in a fixed order. Equal hashes mean equal build inputs,
 * so the hash can tag the image: a tag that names exactly one content.
 */
export function buildContextHash(contextDir: string): string {
  const ignoreFile = path.join(contextDir, ".dockerignore");
  const rules = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, "utf8")) : [];
  // Without `!` rules nothing under an ignored directory can come back, so it is not even read.
  const canPrune = rules.every((rule) => !rule.negated);
  const files: string[] = [];
  const walk = (relativeDir: string) => {
    for (const entry of readdirSync(path.join(contextDir, relativeDir), { withFileTypes: true })) {
      const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!(canPrune && isIgnored(rules, relative))) walk(relative);
      } else if (entry.isFile() && !isIgnored(rules, relative)) {
        files.push(relative);
      }
    }
  };
  walk("");
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    const content = readFileSync(path.join(contextDir, file));
    hash.update(`${file}\0${content.length}\0`).update(content);
  }
  return hash.digest("hex");
}
