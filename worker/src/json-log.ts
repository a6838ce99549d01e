/** Severity of a log line. */
export type LogLevel = "info" | "warn" | "error";

/** Values a log line carries besides its time, level and event name. */
export type LogFields = Record<string, unknown>;

/** Writes one JSON object per line; every line names its `event` so tests and log queries can select it. */
export interface JsonLogger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. the call's id). */
  child(fields: LogFields): JsonLogger;
}

/** Where lines go and what time it is; replaceable in tests. */
export interface JsonLoggerOptions {
  write?: (line: string) => void;
  now?: () => Date;
  fields?: LogFields;
}

/** Shown instead of the value of any field whose name looks like a credential. */
export const REDACTED = "[redacted]";

const SECRET_KEY = /secret|password|passwd|token|api_?key|authorization|credential/i;

/**
 * Formats one log line: `{"time","level","event",...fields}` as single-line JSON. Fields whose
 * names look like credentials are redacted at any depth, so a secret never reaches the log;
 * errors become `{name, message}` and bigints strings, which JSON cannot otherwise carry.
 */
export function formatLogLine(level: LogLevel, event: string, fields: LogFields, now: Date): string {
  return JSON.stringify({ time: now.toISOString(), level, event, ...fields }, (key, value: unknown) => {
    if (key !== "" && SECRET_KEY.test(key)) return REDACTED;
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (typeof value === "bigint") return value.toString();
    return value;
  });
}

/** Creates a logger writing to stdout (or `options.write`). */
export function createJsonLogger(options: JsonLoggerOptions = {}): JsonLogger {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const base = options.fields ?? {};
  const log = (level: LogLevel) => (event: string, fields: LogFields = {}) =>
    write(formatLogLine(level, event, { ...base, ...fields }, now()));
  return {
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: (fields) => createJsonLogger({ write, now, fields: { ...base, ...fields } }),
  };
}
