/**
 * The command line of the operator scripts (`npm run call`, `npm run doctor`): flags declared by
 * name for node:util's parseArgs, and one answer to a bad flag or `--help`.
 */

/** parseArgs options for flags that take a string, one per name. */
export function stringFlags<const Names extends readonly string[]>(...names: Names): { [N in Names[number]]: { type: "string" } } {
  return Object.fromEntries(names.map((name) => [name, { type: "string" }])) as { [N in Names[number]]: { type: "string" } };
}

/**
 * Reads a script's flags with `parse`: a bad flag prints its message then the usage (exit code 2),
 * `--help` prints the usage (exit code 0); otherwise the flags.
 */
export function readFlags<F extends { help: boolean }>(parse: () => F, usage: string): { flags: Exclude<F, { help: true }> } | { exitCode: number } {
  let flags: F;
  try {
    flags = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (flags.help) {
    console.log(usage);
    return { exitCode: 0 };
  }
  return { flags: flags as Exclude<F, { help: true }> };
}
