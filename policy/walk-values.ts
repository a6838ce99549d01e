import { UnknownValueError } from "@pulumi/policy";

/** Where a value sits inside a resource's properties, e.g. `["metadata", "startup-script"]`. */
export type ValuePath = readonly (string | number)[];

/** Renders a path as `a.b[0].c`. */
export function formatPath(path: ValuePath): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/**
 * Calls `visit` for every value reachable from `root` (objects, arrays and leaves), depth first.
 * Values not known yet during a preview are skipped: the engine's property proxy throws on them,
 * and the policy runs again with known values when the update creates the resource.
 */
export function walkValues(root: unknown, visit: (value: unknown, path: ValuePath) => void, path: ValuePath = []): void {
  visit(root, path);
  if (typeof root !== "object" || root === null) return;
  const keys: (string | number)[] = Array.isArray(root) ? Array.from({ length: root.length }, (_v, i) => i) : Object.keys(root);
  for (const key of keys) {
    let child: unknown;
    try {
      child = (root as Record<string | number, unknown>)[key];
    } catch (error) {
      if (error instanceof UnknownValueError) continue;
      throw error;
    }
    walkValues(child, visit, [...path, key]);
  }
}

/** Every string reachable from `root`, with its path. */
export function stringsIn(root: unknown): { value: string; path: ValuePath }[] {
  const found: { value: string; path: ValuePath }[] = [];
  walkValues(root, (value, path) => {
    if (typeof value === "string") found.push({ value, path });
  });
  return found;
}
