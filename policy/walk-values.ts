import { read, unknown } from "./preview-values";

/** Where a value sits inside a resource's properties, e.g. `["metadata", "startup-script"]`. */
export type ValuePath = readonly (string | number)[];

/** Renders a path as `a.b[0].c`. */
export function formatPath(path: ValuePath): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/**
 * Calls `visit` for every value reachable from `root` (objects, arrays and leaves), depth first.
 * A value not known yet during a preview is visited as {@link unknown} (the engine's property
 * proxy throws on it), so callers can say which checks wait for the update.
 */
export function walkValues(root: unknown, visit: (value: unknown, path: ValuePath) => void, path: ValuePath = []): void {
  visit(root, path);
  if (typeof root !== "object" || root === null) return;
  const keys: (string | number)[] = Array.isArray(root) ? Array.from({ length: root.length }, (_v, i) => i) : Object.keys(root);
  for (const key of keys) walkValues(read(root, key), visit, [...path, key]);
}

/** Every string reachable from `root`, with its path. */
export function stringsIn(root: unknown): { value: string; path: ValuePath }[] {
  const found: { value: string; path: ValuePath }[] = [];
  walkValues(root, (value, path) => {
    if (typeof value === "string") found.push({ value, path });
  });
  return found;
}

/** Paths of the values reachable from `root` that are not known yet (none once the update knows them). */
export function unknownPaths(root: unknown): ValuePath[] {
  const found: ValuePath[] = [];
  walkValues(root, (value, path) => {
    if (value === unknown) found.push(path);
  });
  return found;
}
