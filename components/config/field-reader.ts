import { z } from "zod";
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

/** Reads config keys one by one, collecting every problem instead of stopping at the first. */
export class FieldReader {
  /** Problems found so far, in the order keys were read. */
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly raw: RawConfig,
    private readonly stack: string,
  ) {}

  /** Reads a required key, or its default. `undefined` means a problem was recorded. */
  read<T>(spec: FieldSpec<T>): T | undefined {
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
    const value = this.raw.values[spec.key];
    return value === undefined ? undefined : this.parse(spec, value);
  }

  /** True when the key has a value at all. */
  has(key: string): boolean {
    return this.raw.values[key] !== undefined;
  }

  /** Records a problem found by a check that spans several keys. */
  report(spec: Pick<FieldSpec<unknown>, "key" | "expected" | "fix" | "secret">, found: string): void {
    const secretFlag = spec.secret ? "--secret " : "";
    this.problems.push({
      key: spec.key,
      found,
      expected: spec.expected,
      fix: `pulumi config set ${secretFlag}${spec.fix} --stack ${this.stack}`,
    });
  }

  /** How a key's current value is shown in a message: never the value of a secret field or of a key stored as a secret. */
  shown(key: string, secret = false): string {
    const value = this.raw.values[key];
    if (value === undefined) return "(not set)";
    return secret || this.raw.secretKeys.has(key) ? "[secret]" : JSON.stringify(value);
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
