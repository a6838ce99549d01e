/**
 * A model of how the Pulumi CLI stores stack config and hands it to a Node.js program, for testing
 * the `pulumi config` commands the README and the config errors tell a person to run. No Pulumi CLI
 * can be installed here, so its rules are written down from its source (pulumi/pulumi v3.259:
 * pkg/cmd/pulumi/config/config.go `config set`, io.go `parseConfigKey`, and
 * sdk/go/common/resource/config map.go `Set`/`Remove`, value.go, object.go `coerce`,
 * sdk/go/common/resource/properties_path.go `parsePropertyPath`):
 *
 * - `set` without `--path` stores the value as a string, whatever it looks like.
 * - `set --path` with more than one path element stores `true`/`false` as booleans and a value
 *   Go's `strconv.ParseInt(v, 10, 64)` or `ParseUint` accepts as a number, a leading `+` or `-`
 *   included, unless it has more than one character and starts with `0`; `--type string|int|bool|float`
 *   overrides that. `--secret`, `--plaintext` and `--type` are mutually exclusive.
 * - Setting a path into a top-level string, number or boolean replaces it with a new list or map;
 *   an index past a list's end is refused, one at its end appends, and a new list gets `index + 1`
 *   items (the ones before the index empty).
 * - The program sees each top-level key as a string: scalars as their text, lists and maps as JSON
 *   text (Go's encoding/json: map keys sorted), secrets decrypted; a key holding a secret is a secret key.
 * - Without `--secret` or `--plaintext`, a key named like a password or token (`passwd|pass|password|pwd|secret|token`)
 *   may be refused as "looks like a secret" (an entropy heuristic); the model refuses it always.
 */
import { parse as parseYaml } from "yaml";
import type { RawConfig } from "../../components/config";

/** A secret value as stored by `--secret` (held here in plain text: the model does not encrypt). */
export class Secret {
  constructor(readonly plaintext: string) {}
}

/** A config value as the CLI holds it. Whole numbers are bigints, as Go holds them in int64/uint64. */
export type ConfigNode = string | bigint | number | boolean | null | Secret | ConfigNode[] | { [key: string]: ConfigNode };

/** A stack's config: top-level keys (`namespace:name`) to values. */
export type StackConfigModel = Map<string, ConfigNode>;

/** A stack's config from the `config:` section of a `Pulumi.<stack>.yaml` file. */
export function stackFromYaml(text: string): StackConfigModel {
  const document = parseYaml(text, { intAsBigInt: true }) as { config?: Record<string, unknown> } | null;
  return new Map(Object.entries(document?.config ?? {}).map(([k, v]) => [k, fromYaml(v)]));
}

function fromYaml(value: unknown): ConfigNode {
  if (Array.isArray(value)) return value.map(fromYaml);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") {
      throw new Error("the model cannot decrypt a secure: value; set secrets with `pulumi config set --secret`");
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, fromYaml(v)]));
  }
  return value as ConfigNode;
}

/** What `pulumi config set`/`rm` flags the model knows. */
interface Flags {
  path: boolean;
  secret: boolean;
  plaintext: boolean;
  type?: string;
}

/**
 * Runs one `pulumi config …` command line (already split into words, `pulumi config` included) on
 * the stack, as the CLI would. Throws the CLI's error when it would refuse the command.
 */
export function runConfigCommand(stack: StackConfigModel, words: readonly string[], project: string): void {
  if (words[0] !== "pulumi" || words[1] !== "config") throw new Error(`not a pulumi config command: ${words.join(" ")}`);
  const verb = words[2];
  const flags: Flags = { path: false, secret: false, plaintext: false };
  const args: string[] = [];
  for (let i = 3; i < words.length; i++) {
    const word = words[i];
    if (word === "--") {
      args.push(...words.slice(i + 1));
      break;
    }
    if (word === "--path") flags.path = true;
    else if (word === "--secret") flags.secret = true;
    else if (word === "--plaintext") flags.plaintext = true;
    else if (word === "--type" || word === "--stack" || word === "-s") {
      const value = words[++i];
      if (value === undefined) throw new Error(`flag needs an argument: ${word}`);
      if (word === "--type") flags.type = value;
    } else if (word.startsWith("--type=")) flags.type = word.slice("--type=".length);
    else if (word.startsWith("--stack=")) continue;
    else if (word.startsWith("-")) throw new Error(`unknown flag: ${word}`);
    else args.push(word);
  }
  if (verb === "set") set(stack, args, flags, project);
  else if (verb === "rm") remove(stack, args, flags, project);
  else throw new Error(`the model does not run \`pulumi config ${verb}\``);
}

function set(stack: StackConfigModel, args: string[], flags: Flags, project: string): void {
  if ([flags.secret, flags.plaintext, flags.type !== undefined].filter(Boolean).length > 1) {
    throw new Error("if any flags in the group [secret plaintext type] are set none of the others can be");
  }
  if (args.length !== 2) throw new Error(`accepts a key and a value, received ${args.length} arguments (the model does not read standard input)`);
  const [keyText, text] = args;
  const { topKey, path } = parseKey(keyText, flags.path, project);
  if (!flags.secret && !flags.plaintext && /passwd|pass|password|pwd|secret|token/i.test(path[0] as string) && text !== "") {
    throw new Error(`config value for '${topKey}' may look like a secret; rerun with --secret to encrypt it, or --plaintext`);
  }
  let value: ConfigNode;
  if (flags.secret) value = new Secret(text);
  else if (flags.type !== undefined) value = typed(text, flags.type);
  else value = path.length > 1 ? coerce(text) : text;
  if (path.length === 1) {
    stack.set(topKey, value);
    return;
  }
  let root = stack.get(topKey) ?? null;
  root = setAt(root, path.slice(1), value, true);
  stack.set(topKey, root);
}

function remove(stack: StackConfigModel, args: string[], flags: Flags, project: string): void {
  if (args.length !== 1) throw new Error(`accepts 1 arg, received ${args.length}`);
  const { topKey, path } = parseKey(args[0], flags.path, project);
  if (path.length > 1) throw new Error("the model does not remove inside a list or map");
  stack.delete(topKey);
}

/** `--type`: the value stored as that type (value.go `unmarshalObject`). */
function typed(text: string, type: string): ConfigNode {
  switch (type) {
    case "string":
      return text;
    case "int":
      if (!/^[+-]?\d+$/.test(text)) throw new Error(`strconv.Atoi: parsing "${text}": invalid syntax`);
      return BigInt(text);
    case "bool":
      // strconv.ParseBool; on failure the CLI warns and stores false.
      return ["1", "t", "T", "TRUE", "true", "True"].includes(text);
    case "float":
      if (Number.isNaN(Number(text)) || text.trim() === "") throw new Error(`strconv.ParseFloat: parsing "${text}": invalid syntax`);
      return Number(text);
    default:
      throw new Error(`invalid type "${type}"; must be one of string, int, bool, or float`);
  }
}

const int64Max = 2n ** 63n - 1n;
const uint64Max = 2n ** 64n - 1n;

/** object.go `coerce`: what `--path` makes of an untyped value. */
export function coerce(text: string): ConfigNode {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text.length > 1 && text[0] === "0") return text;
  // strconv.ParseInt(text, 10, 64): an optional sign, then decimal digits, within int64.
  if (/^[+-]?\d+$/.test(text)) {
    const n = BigInt(text);
    if (n >= -int64Max - 1n && n <= int64Max) return n;
  }
  // strconv.ParseUint(text, 10, 64): digits only, within uint64.
  if (/^\d+$/.test(text) && BigInt(text) <= uint64Max) return BigInt(text);
  return text;
}

/** io.go `parseConfigKey` and properties_path.go `parsePropertyPath`. */
function parseKey(text: string, isPath: boolean, project: string): { topKey: string; path: (string | number)[] } {
  const qualify = (k: string) => (k.includes(":") ? k : `${project}:${k}`);
  if (!isPath) return { topKey: qualify(text), path: [qualify(text).split(":").slice(1).join(":")] };
  const split = text.search(/[[.]/);
  const head = split > 0 ? qualify(text.slice(0, split)) : qualify(text);
  const namespace = head.slice(0, head.indexOf(":"));
  const path = parsePath(head.slice(namespace.length + 1) + (split > 0 ? text.slice(split) : ""));
  if (typeof path[0] !== "string" || path[0] === "") throw new Error("first path segment of config key must be a non-empty string");
  return { topKey: `${namespace}:${path[0]}`, path };
}

function parsePath(text: string): (string | number)[] {
  const elements: (string | number)[] = [];
  let rest = text;
  if (rest.startsWith(".")) throw new Error("expected property path to start with a name or index");
  while (rest.length > 0) {
    if (rest[0] === ".") {
      rest = rest.slice(1);
      if (rest.length === 0) throw new Error("expected property path to end with a name or index");
    } else if (rest[0] === "[") {
      if (rest[1] === '"') {
        let key = "";
        let i = 2;
        for (;;) {
          if (i >= rest.length) throw new Error("missing closing quote in property name");
          if (rest[i] === '"') {
            i++;
            break;
          }
          if (rest[i] === "\\" && rest[i + 1] === '"') {
            key += '"';
            i += 2;
          } else key += rest[i++];
        }
        if (rest[i] !== "]") throw new Error("missing closing bracket in property access");
        elements.push(key);
        rest = rest.slice(i + 1);
      } else {
        const close = rest.indexOf("]");
        if (close < 0) throw new Error("missing closing bracket in array index");
        const segment = rest.slice(1, close);
        if (!/^[+-]?\d+$/.test(segment)) throw new Error(`invalid array index: ${segment}`);
        elements.push(Number(segment));
        rest = rest.slice(close + 1);
      }
    } else {
      const end = rest.search(/[[.]/);
      const name = end < 0 ? rest : rest.slice(0, end);
      elements.push(name);
      rest = end < 0 ? "" : rest.slice(end);
    }
  }
  return elements;
}

/** object.go `Set`: writes `value` at `path` below `node`, making lists and maps as needed. */
function setAt(node: ConfigNode, path: (string | number)[], value: ConfigNode, firstLevel: boolean): ConfigNode {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  let container = node;
  const isMap = (n: ConfigNode): n is { [key: string]: ConfigNode } => n !== null && typeof n === "object" && !Array.isArray(n) && !(n instanceof Secret);
  if (!(Array.isArray(container) || isMap(container))) {
    if (container !== null && !firstLevel) throw new Error(`expected ${typeof head === "number" ? "an array" : "a map"}`);
    container = typeof head === "number" ? Array.from({ length: head + 1 }, () => null) : {};
  }
  if (Array.isArray(container)) {
    if (typeof head !== "number") throw new Error("key for an array must be an int");
    if (head < 0 || head > container.length) throw new Error("array index out of range");
    const list = [...container];
    list[head] = setAt(head < list.length ? list[head] : null, rest, value, false);
    return list;
  }
  if (typeof head !== "string") throw new Error("key for a map must be a string");
  return { ...container, [head]: setAt(container[head] ?? null, rest, value, false) };
}

/** The config a Node.js program of the stack sees: every value a string, and the keys holding secrets. */
export function programView(stack: StackConfigModel): RawConfig {
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, node] of stack) {
    if (holdsSecret(node)) secretKeys.add(key);
    if (node instanceof Secret) values[key] = node.plaintext;
    else if (typeof node === "string") values[key] = node;
    else if (node !== null && typeof node === "object") values[key] = toJson(node);
    else values[key] = String(node);
  }
  return { values, secretKeys };
}

function holdsSecret(node: ConfigNode): boolean {
  if (node instanceof Secret) return true;
  if (Array.isArray(node)) return node.some(holdsSecret);
  if (node !== null && typeof node === "object") return Object.values(node).some(holdsSecret);
  return false;
}

/** Go encoding/json of the value, secrets decrypted. */
function toJson(node: ConfigNode): string {
  if (node instanceof Secret) return JSON.stringify(node.plaintext);
  if (typeof node === "bigint") return node.toString();
  if (Array.isArray(node)) return `[${node.map(toJson).join(",")}]`;
  if (node !== null && typeof node === "object") {
    return `{${Object.keys(node)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${toJson(node[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(node);
}
