/**
 * The `pulumi config` commands that config errors tell a person to run. Each is right under the
 * CLI's typing rules (pulumi/pulumi sdk/go/common/resource/config): a top-level value is always
 * stored as a string, but a value set with `--path` is stored as a boolean when it is `true` or
 * `false` and as a number when it parses as a decimal integer (a leading `+` included), so a
 * list item is always set with `--type string`.
 */

/**
 * The word as a POSIX shell passes it through unchanged: bare when safe, else single-quoted. A
 * `<…>` placeholder, which the person replaces with their own value, is left as it is.
 */
function shellWord(value: string): string {
  if (/^<[^<>']+>$/.test(value)) return value;
  if (/^[A-Za-z0-9_+.,/:=@%^-]+$/.test(value) && !value.startsWith("-")) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `pulumi config set` for one stack: `args` are shell words (flags and key, and the value when
 * `value` is not given); `value` is any string, quoted as needed and put after `--` when it
 * starts with `-` so the CLI does not read it as a flag.
 */
export function setCommand(stack: string, args: string, value?: string): string {
  if (value === undefined) return `pulumi config set ${args} --stack ${stack}`;
  if (value.startsWith("-")) return `pulumi config set ${args} --stack ${stack} -- ${shellWord(value)}`;
  return `pulumi config set ${args} ${shellWord(value)} --stack ${stack}`;
}

/** Sets item `index` of the list at `key` to the string `value`, whatever it looks like. */
export function setItemCommand(stack: string, key: string, index: number, value: string): string {
  return setCommand(stack, `--path ${shellWord(`${key}[${index}]`)} --type string`, value);
}

/**
 * The words after `pulumi config set` that set entry `entry` of the map at `key` to the string
 * `value`. The entry is quoted in brackets because Pulumi's path syntax reads `+` and digits only
 * there as one map key; `--type string` keeps a value such as `42` a string.
 */
export function setEntryArgs(key: string, entry: string, value: string): string {
  return `--path '${key}["${entry}"]' --type string ${value}`;
}

/** Removes `key` from the stack's config. */
export function removeCommand(stack: string, key: string): string {
  return `pulumi config rm ${key} --stack ${stack}`;
}

/** Replaces whatever `key` holds with a list of the given strings. */
export function replaceListCommand(stack: string, key: string, items: readonly string[]): string {
  return [removeCommand(stack, key), ...items.map((item, i) => setItemCommand(stack, key, i, item))].join(" && ");
}
