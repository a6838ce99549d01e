/** Longest value echoed back in a problem message; longer ones are cut so one bad field cannot flood a log. */
const MAX_SHOWN_LENGTH = 80;

/**
 * Renders a bad value for an error message: strings quoted (and shortened), other JSON values as
 * JSON with their type, so "12345" (string) and 12345 (number) read differently.
 */
export function showValue(value: unknown): string {
  if (typeof value === "string") {
    const shown = value.length > MAX_SHOWN_LENGTH ? `${value.slice(0, MAX_SHOWN_LENGTH)}…` : value;
    return JSON.stringify(shown);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return `${truncate(JSON.stringify(value))} (array)`;
  if (typeof value === "object") return `${truncate(JSON.stringify(value))} (object)`;
  return `${String(value)} (${typeof value})`;
}

function truncate(text: string): string {
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}…` : text;
}
