import { z } from "zod";
import { replaceListCommand, setCommand, setItemCommand } from "./fix-commands";
import type { ConfigProblem } from "./problems";

/** Raw stack config as Pulumi hands it over: every value a string, plus which keys are secrets. */
export interface RawConfig {
  /** Values by fully qualified key (`namespace:key`). Lists and objects arrive as JSON text. */
  values: Readonly<Record<string, string>>;
  /** Keys whose values were stored as Pulumi secrets. */
  secretKeys: ReadonlySet<string>;
}

/** How one config key is read. */
export interface FieldSpec<T> {
  /** Fully qualified key, e.g. `agent-studio-voice:diskSizeGb`. */
  key: string;
  /** Parses the raw string into the typed value. */
  schema: z.ZodType<T, string>;
  /** What a valid value looks like, for the error message. */
  expected: string;
  /** Arguments after `pulumi config set` that would fix a bad value (without --stack). */
  fix: string;
  /** The value must be stored as a Pulumi secret; its value is never echoed. */
  secret?: boolean;
  /** Value used when the key is not set; without one the key is required. */
  default?: T;
}

/**
 * How a list key is read. Pulumi hands a list over as JSON text; its items must be strings, which
 * `pulumi config set --path 'key[0]' --type string <item>` stores whatever the item looks like.
 */
export interface ListFieldSpec {
  /** Fully qualified key, e.g. `agent-studio-voice:adminCidrs`. */
  key: string;
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
  /** Value used when the key is not set; without one the key is required. */
  default?: readonly string[];
}

/** Reads config keys one by one, collecting every problem instead of stopping at the first. */
export class FieldReader {
  /** Problems found so far, in the order keys were read. */
  readonly problems: ConfigProblem[] = [];
  /** Every key the validation asked about, set or not: the keys the program knows. */
  private readonly asked = new Set<string>();

  constructor(
    private readonly raw: RawConfig,
    /** The stack whose config is read, named in every fix command. */
    readonly stack: string,
  ) {}

  /** Reads a required key, or its default. `undefined` means a problem was recorded. */
  read<T>(spec: FieldSpec<T>): T | undefined {
    this.asked.add(spec.key);
    const value = this.raw.values[spec.key];
    if (value === undefined) {
      if ("default" in spec) return spec.default;
      this.report(spec, "(not set)");
      return undefined;
    }
    return this.parse(spec, value);
  }

  /** Reads a key that may be absent; absent gives `undefined` without a problem. */
  readOptional<T>(spec: FieldSpec<T>): T | undefined {
    this.asked.add(spec.key);
    const value = this.raw.values[spec.key];
    return value === undefined ? undefined : this.parse(spec, value);
  }

  /** The raw value of a key, read without checking it. */
  rawValue(key: string): string | undefined {
    return this.raw.values[key];
  }

  /** True when the key was stored as a Pulumi secret. */
  isSecret(key: string): boolean {
    return this.raw.secretKeys.has(key);
  }

  /** True when the key has a value at all. */
  has(key: string): boolean {
    this.asked.add(key);
    return this.raw.values[key] !== undefined;
  }

  /**
   * Reads a list key item by item. A problem names the item, and its fix sets that item (with
   * `--type string`) or, when the value is not a usable list, replaces the whole list.
   */
  readList(spec: ListFieldSpec): string[] | undefined {
    this.asked.add(spec.key);
    const value = this.raw.values[spec.key];
    if (value === undefined) {
      if (spec.default !== undefined) return [...spec.default];
      this.reportList(spec, "(not set)", spec.expected, [spec.example]);
      return undefined;
    }
    const found = this.shown(spec.key);
    const items = parseJson(value);
    if (!Array.isArray(items) || items.length === 0) {
      // A bare item given without --path is kept: the fix turns it into a one-item list.
      const keep = typeof items === "string" && spec.item.safeParse(items).success ? items : spec.example;
      this.reportList(spec, found, `${spec.expected}; ${Array.isArray(items) ? "it is empty" : "it is not a list"}`, [keep]);
      return undefined;
    }
    const hidden = this.raw.secretKeys.has(spec.key);
    let ok = true;
    items.forEach((item: unknown, index) => {
      if (typeof item === "string" && spec.item.safeParse(item).success) return;
      ok = false;
      const detail =
        typeof item === "string"
          ? `item ${index}${hidden ? "" : ` (${JSON.stringify(item)})`} is not one`
          : `item ${index} is ${describeTyped(item, hidden)}, not a string: \`pulumi config set --path\` stores true/false and whole numbers (a leading + dropped) as such unless given --type string`;
      const typedBack = typeof item === "number" || typeof item === "boolean" ? (spec.typedBack ?? String)(item) : undefined;
      const replacement = typedBack !== undefined && spec.item.safeParse(typedBack).success ? typedBack : spec.example;
      this.problems.push({ key: spec.key, found, expected: `${spec.expected}; ${detail}`, fix: setItemCommand(this.stack, spec.key, index, replacement) });
    });
    if (!ok) return undefined;
    const strings = items as string[];
    const wrong = spec.whole?.(strings);
    if (wrong !== undefined) {
      this.reportList(spec, found, `${spec.expected}; ${wrong}`, [spec.example]);
      return undefined;
    }
    return strings;
  }

  /** Keys set in `namespace` that no read asked about, and the keys that were asked about there. */
  unreadKeys(namespace: string): { unread: string[]; known: string[] } {
    const inNamespace = (k: string) => k.startsWith(`${namespace}:`);
    return {
      unread: Object.keys(this.raw.values).filter((k) => inNamespace(k) && !this.asked.has(k)).sort(),
      known: [...this.asked].filter(inNamespace),
    };
  }

  /** Records a problem found by a check that spans several keys. */
  report(spec: Pick<FieldSpec<unknown>, "key" | "expected" | "fix" | "secret">, found: string): void {
    const secretFlag = spec.secret ? "--secret " : "";
    this.problems.push({ key: spec.key, found, expected: spec.expected, fix: setCommand(this.stack, `${secretFlag}${spec.fix}`) });
  }

  /** Records a problem whose fix is a whole command line of its own (e.g. `pulumi config rm …`). */
  reportWithCommand(problem: ConfigProblem): void {
    this.problems.push(problem);
  }

  /** How a key's current value is shown in a message: never the value of a secret field or of a key stored as a secret. */
  shown(key: string, secret = false): string {
    const value = this.raw.values[key];
    if (value === undefined) return "(not set)";
    return secret || this.raw.secretKeys.has(key) ? "[secret]" : JSON.stringify(value);
  }

  private reportList(spec: ListFieldSpec, found: string, expected: string, items: readonly string[]): void {
    const fix = found === "(not set)" ? setItemCommand(this.stack, spec.key, 0, items[0]) : replaceListCommand(this.stack, spec.key, items);
    this.problems.push({ key: spec.key, found, expected, fix });
  }

  private parse<T>(spec: FieldSpec<T>, value: string): T | undefined {
    if (spec.secret && !this.raw.secretKeys.has(spec.key)) {
      this.report({ ...spec, expected: `a Pulumi secret (${spec.expected}), not clear text` }, "[given in clear text]");
      return undefined;
    }
    const parsed = spec.schema.safeParse(value);
    if (!parsed.success) {
      this.report(spec, this.shown(spec.key, spec.secret));
      return undefined;
    }
    return parsed.data;
  }
}

/** The JSON value of `text`, or the text itself when it is not JSON (a plain string). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** How a non-string list item is named in a message. */
function describeTyped(item: unknown, hidden: boolean): string {
  const kind = item === null ? "empty" : typeof item === "number" ? "a number" : typeof item === "boolean" ? "a boolean" : Array.isArray(item) ? "a list" : "a map";
  return hidden || item === null || typeof item === "object" ? kind : `${kind} (${String(item)})`;
}
