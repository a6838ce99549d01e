// Compose reads env files with its own dotenv parser (compose-go `dotenv/parser.go`): an unquoted
// value loses a ` #` comment and trailing spaces and has `$VAR` expanded; a single-quoted value is
// taken literally except that a backslash escapes the closing quote. So a value is written bare
// when it is made of these characters, single-quoted when it holds no quote, backslash or control
// character, and refused otherwise.
const bareValue = /^[A-Za-z0-9_.:/+=@-]*$/;
const quotableValue = /^[^'\\\x00-\x1f\x7f]*$/;

/** How compose's env-file parser can be given `value` literally: bare, single-quoted, or not at all. */
function literal(value: string): string | undefined {
  if (bareValue.test(value)) return value;
  return quotableValue.test(value) ? `'${value}'` : undefined;
}

/**
 * An env file compose reads back exactly as given: `# <title>`, then `NAME=value` for every variable
 * whose value is set. Throws naming the variables (never their values) that compose could not be
 * given literally.
 */
export function renderEnvFile(title: string, variables: readonly (readonly [string, string | undefined])[]): string {
  const set = variables.filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
  const refused = set.filter(([, value]) => literal(value) === undefined).map(([name]) => name);
  if (refused.length > 0) {
    throw new Error(
      `Cannot render ${title}: ${refused.join(", ")} hold a quote, a backslash or a control character, which compose's env-file parser would not read back literally`,
    );
  }
  return [`# Rendered by agent-studio-voice: ${title}.`, ...set.map(([name, value]) => `${name}=${literal(value)}`), ""].join("\n");
}
