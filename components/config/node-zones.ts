/**
 * Where the voice nodes run: node 0 in `gcp:zone` (today's single host, so going from 1 node to
 * more never moves it), the others round-robin over the rest of the stack's zones.
 */

/**
 * Regions whose zones are not `-a`, `-b` and `-c` (https://cloud.google.com/compute/docs/regions-zones):
 * the defaults of `zones` would name zones that do not exist there.
 */
const regionZoneLetters: Readonly<Record<string, readonly string[]>> = {
  "us-east1": ["b", "c", "d"],
  "europe-west1": ["b", "c", "d"],
};

/** The zones `zones` defaults to: the region's zones a, b and c, or the letters {@link regionZoneLetters} lists for it. */
export function regionZones(region: string): string[] {
  return (regionZoneLetters[region] ?? ["a", "b", "c"]).map((letter) => `${region}-${letter}`);
}

/** What the node placement reads of the validated config. */
export interface NodePlacementInput {
  /** How many nodes. */
  nodes: number;
  /** The stack's zones, when configured. */
  zones?: readonly string[];
  /** Region and node 0's zone. */
  gcp: { region: string; zone: string };
}

/** The zones nodes take in turn: `gcp.zone` first, then the others of `zones` (or the region's), each once. */
export function zoneRotation(input: NodePlacementInput): string[] {
  const pool = input.zones ?? regionZones(input.gcp.region);
  return [input.gcp.zone, ...pool.filter((zone, index) => zone !== input.gcp.zone && pool.indexOf(zone) === index)];
}

/** The zone of each node, node 0 first: round-robin over {@link zoneRotation}. */
export function nodeZones(input: NodePlacementInput): string[] {
  const rotation = zoneRotation(input);
  return Array.from({ length: input.nodes }, (_, index) => rotation[index % rotation.length]);
}
