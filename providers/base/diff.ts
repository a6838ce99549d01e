/**
 * Property-by-property diff for dynamic providers that says exactly which changed
 * properties force a replacement and which are updated in place.
 */
import type * as pulumi from "@pulumi/pulumi";

/** How a provider treats a change to each of its input properties. */
export interface DiffPolicy<Inputs> {
  /** Properties whose change forces delete-and-recreate (identity, parents, immutable fields). */
  replaceOn: readonly (keyof Inputs & string)[];
  /** Properties the API can change on the live resource. */
  updateInPlace: readonly (keyof Inputs & string)[];
  /** Delete the old resource before creating its replacement (for unique names the API will not let two resources share). Defaults to false. */
  deleteBeforeReplace?: boolean;
}

/** A dynamic-provider diff that also names the in-place updates (the engine ignores the extra field; tests and logs use it). */
export interface NamedDiffResult extends pulumi.dynamic.DiffResult {
  /** Changed properties that force replacement. */
  readonly replaces: string[];
  /** Changed properties updated in place. */
  readonly updates: string[];
}

/**
 * Deep equality over JSON-like values where a missing property, `undefined` and `null`
 * are the same (the engine drops undefined inputs, so state and new inputs disagree on them).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const absentA = a === undefined || a === null;
  const absentB = b === undefined || b === null;
  if (absentA || absentB) return absentA && absentB;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    return [...keys].every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/**
 * Compares the listed properties of the old state and the new inputs. Properties in neither
 * list (computed outputs such as SIDs and timestamps) are ignored.
 */
export function diffProperties<Inputs extends object>(
  olds: Partial<Inputs>,
  news: Partial<Inputs>,
  policy: DiffPolicy<Inputs>,
): NamedDiffResult {
  const changed = (key: keyof Inputs & string) =>
    !sameValue((olds as Record<string, unknown>)[key], (news as Record<string, unknown>)[key]);
  const replaces = policy.replaceOn.filter(changed);
  const updates = policy.updateInPlace.filter(changed);
  return {
    changes: replaces.length + updates.length > 0,
    replaces,
    updates,
    deleteBeforeReplace: replaces.length > 0 && policy.deleteBeforeReplace === true,
  };
}
