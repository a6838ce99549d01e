import fc from "fast-check";
import { parse } from "yaml";

/**
 * The keys a server's config type knows, as a tree mirroring its YAML: `true` for a value the
 * server takes whole (scalar, list of scalars, free map), a nested tree for a struct, and
 * `[tree]` for a list of structs.
 */
export type KeyTree = { readonly [key: string]: true | KeyTree | readonly [KeyTree] };

/**
 * The `redis` block livekit-server and livekit-sip share: LiveKit protocol's redis.RedisConfig (the
 * version both pinned servers build with).
 */
export const redisConfigKeys: KeyTree = {
  address: true,
  username: true,
  password: true,
  db: true,
  use_tls: true,
  tls: true,
  sentinel_master_name: true,
  sentinel_username: true,
  sentinel_password: true,
  sentinel_addresses: true,
  cluster_addresses: true,
  dial_timeout: true,
  read_timeout: true,
  write_timeout: true,
  max_redirects: true,
  pool_timeout: true,
  pool_size: true,
};

/**
 * The `logging` block: LiveKit protocol's logger.Config, which both servers inline (livekit-server
 * adds its own keys beside it).
 */
export const loggerConfigKeys: KeyTree = {
  json: true,
  level: true,
  sample: true,
  component_levels: true,
  sample_initial: true,
  sample_interval: true,
  item_sample_seconds: true,
  item_sample_initial: true,
  item_sample_interval: true,
};

/** Parses as Go's yaml.v3 would read the file (YAML 1.1 scalars). */
export function parseLikeGo(text: string): any {
  return parse(text, { version: "1.1" });
}

// Pieces YAML reads as structure (indicators, quotes, line breaks) or as another type (yes, on, 0x1F, 1:20, <<).
const yamlPieces = fc.constantFrom("\n", ":", ": ", " ", "'", '"', "#", "&a", "*a", "!", "%", "@", "`", "{", "}", "[", "]", "|", ">", "- ", "?", ",", "\t", "\\", "~", "yes", "on", "0x1F", "1:20", "<<", "é", "\u2028");

/** Passwords of 32 characters or more: of those pieces, of any ASCII, or of any graphemes. */
const trickyPassword: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: yamlPieces, minLength: 32 }),
  fc.string({ unit: "binary-ascii", minLength: 32 }),
  fc.string({ unit: "grapheme", minLength: 32 }),
);

/**
 * Expects `render` (a config with the given Redis password, or none) to keep any password intact
 * under both YAML versions yaml.v3 borrows from, and the file's top-level keys those it has without one.
 */
export function expectRedisPasswordKept(render: (password: string | undefined) => string): void {
  const plain = parseLikeGo(render(undefined));
  fc.assert(
    fc.property(fc.option(trickyPassword, { nil: undefined }), (password) => {
      const rendered = render(password);
      for (const version of ["1.1", "1.2"] as const) {
        const parsed = parse(rendered, { version });
        expect(parsed.redis).toEqual(password === undefined ? plain.redis : { ...plain.redis, password });
        expect(Object.keys(parsed)).toEqual(Object.keys(plain));
      }
    }),
  );
}

/** Expects the rendered config, read as the Go server reads it, to hold only keys that `known` lists. */
export function expectOnlyKnownKeys(text: string, known: KeyTree): void {
  expect(unknownKeys(parseLikeGo(text), known)).toEqual([]);
}

/** Every key path in `value` that `known` does not list, e.g. `["rtc.udp_prot"]`. */
export function unknownKeys(value: unknown, known: KeyTree, path = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const keyPath = path ? `${path}.${key}` : key;
    const spec = known[key];
    if (spec === undefined) {
      return [keyPath];
    }
    if (spec === true) {
      return [];
    }
    if (Array.isArray(spec)) {
      return Array.isArray(child) ? child.flatMap((item, i) => unknownKeys(item, spec[0], `${keyPath}[${i}]`)) : [keyPath];
    }
    return unknownKeys(child, spec as KeyTree, keyPath);
  });
}
