/** Quotes a value for POSIX sh so it is always one word, whatever it contains. */
export function shellQuote(value: string | number): string {
  return `'${String(value).replace(/'/g, `'"'"'`)}'`;
}
