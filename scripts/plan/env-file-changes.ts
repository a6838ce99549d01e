/** Which variables of an env file (`NAME=value` lines) differ between two versions; never a value. */
export interface EnvVariableChanges {
  /** Names set in both versions, to different values. */
  changed: string[];
  /** Names set only in the new version. */
  added: string[];
  /** Names set only in the old version. */
  removed: string[];
  /** Whether comment lines differ (their text is not given: a comment could quote a value). */
  commentsChanged: boolean;
}

const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function parseEnvFile(text: string): { variables: Map<string, string>; comments: string[] } | undefined {
  const variables = new Map<string, string>();
  const comments: string[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    if (line.trimStart().startsWith("#")) {
      comments.push(line);
      continue;
    }
    const match = assignment.exec(line);
    if (!match) return undefined;
    variables.set(match[1], match[2]);
  }
  return { variables, comments };
}

/**
 * Names the variables that differ between two versions of an env file (a missing version counts
 * as empty). Returns undefined when either version has a line that is neither blank, a comment
 * nor `NAME=value`: then nothing can be said about it without showing content.
 */
export function envVariableChanges(before: string | undefined, after: string | undefined): EnvVariableChanges | undefined {
  const old = parseEnvFile(before ?? "");
  const current = parseEnvFile(after ?? "");
  if (old === undefined || current === undefined) return undefined;
  const names = [...new Set([...old.variables.keys(), ...current.variables.keys()])].sort();
  return {
    changed: names.filter((n) => old.variables.has(n) && current.variables.has(n) && old.variables.get(n) !== current.variables.get(n)),
    added: names.filter((n) => !old.variables.has(n) && current.variables.has(n)),
    removed: names.filter((n) => old.variables.has(n) && !current.variables.has(n)),
    commentsChanged: old.comments.join("\n") !== current.comments.join("\n"),
  };
}
