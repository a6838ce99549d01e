import type { ConfigField, ListField, ValueField } from "./fields";
import { replaceListCommand, setCommand, setItemCommand } from "./fix-commands";

/** Raw stack config as Pulumi hands it over: every value a string, plus which keys are secrets. */
export interface RawConfig {
  /** Values by fully qualified key (`namespace:key`). Lists and objects arrive as JSON text. */
  values: Readonly<Record<string, string>>;
  /** Keys whose values were stored as Pulumi secrets. */
  secretKeys: ReadonlySet<string>;
}

/** One thing wrong with a stack's config, phrased so the operator can fix it without reading code. */
export interface ConfigProblem {
  /** Fully qualified config key, e.g. `agent-studio-voice:diskSizeGb`. */
  key: string;
  /** What was found: the value (quoted), `(not set)`, or `[secret]` for secret keys. */
  found: string;
  /** What a valid value looks like. */
  expected: string;
  /** The command that fixes it. */
  fix: string;
}

/** One line per problem: key, value, expectation and fix command. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.key} = ${problem.found}: expected ${problem.expected}. Fix: ${problem.fix}`;
}

/** The whole report, all problems at once. */
export function formatProblems(stack: string, problems: readonly ConfigProblem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  return [`Stack "${stack}" config has ${problems.length} ${noun}:`, ...problems.map((p) => `  - ${formatProblem(p)}`)].join("\n");
}

/**
 * What a problem found by a check spanning several keys says: the key, what is expected, and the
 * words after `pulumi config set` that fix it.
 */
type Finding = Pick<ValueField, "key" | "expected" | "fix"> & { secret?: boolean };

/** Reads config keys one by one, collecting every problem instead of stopping at the first. */
export class FieldReader {
  /** Problems found so far, in the order keys were read. */
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly raw: RawConfig,
    /** The stack whose config is read, named in every fix command. */
    readonly stack: string,
  ) {}

  /**
   * The value of a field: parsed, or its default when unset. `undefined` when it is unset and
   * optional, or when a problem was recorded.
   */
  read(field: ConfigField): unknown {
    return "item" in field ? this.readList(field) : this.readValue(field);
  }

  private readValue(field: ValueField): unknown {
    const value = this.raw.values[field.key];
    if (value !== undefined) return this.parse(field, value);
    if (field.default !== undefined || field.optional) return field.default;
    this.report(field, "(not set)");
    return undefined;
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
    return this.raw.values[key] !== undefined;
  }

  /**
   * Reads a list key item by item. A problem names the item, and its fix sets that item (with
   * `--type string`) or, when the value is not a usable list, replaces the whole list.
   */
  private readList(spec: ListField): string[] | undefined {
    const value = this.raw.values[spec.key];
    if (value === undefined) {
      if (spec.default !== undefined) return [...spec.default];
      if (spec.optional) return undefined;
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

  /** Keys set in `namespace`. */
  keysIn(namespace: string): string[] {
    return Object.keys(this.raw.values).filter((k) => k.startsWith(`${namespace}:`));
  }

  /** Records a problem found by a check that spans several keys. */
  report(spec: Finding, found: string): void {
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

  private reportList(spec: ListField, found: string, expected: string, items: readonly string[]): void {
    const fix = found === "(not set)" ? setItemCommand(this.stack, spec.key, 0, items[0]) : replaceListCommand(this.stack, spec.key, items);
    this.problems.push({ key: spec.key, found, expected, fix });
  }

  private parse(spec: ValueField, value: string): unknown {
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
