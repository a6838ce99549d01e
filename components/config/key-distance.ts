/**
 * Edit distance between two key names, ignoring case: insertions, deletions, substitutions and
 * swaps of neighbouring characters each count one (optimal string alignment), so `turnEnable`
 * is 1 from `turnEnabled` and `sipPasswrod` 1 from `sipPassword`.
 */
function keyDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  // d[i][j]: distance between the first i characters of s and the first j of t.
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/** The candidate nearest to `name` by {@link keyDistance} (the first of equals), with its distance. */
export function closestKey(name: string, candidates: readonly string[]): { key: string; distance: number } | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of candidates) {
    const distance = keyDistance(name, key);
    if (best === undefined || distance < best.distance) best = { key, distance };
  }
  return best;
}

/**
 * True when `name` is close enough to `known` to be taken for a misspelling of it: at most two
 * edits, or a quarter of the name's length for long names.
 */
export function isLikelyMisspelling(name: string, distance: number): boolean {
  return distance <= Math.max(2, Math.floor(name.length / 4));
}
