import { parse } from "yaml";
import { itemsOf, read, unknown } from "./preview-values";
import { unknownPaths, type ValuePath } from "./walk-values";

/** One environment variable a container is given. */
export interface EnvEntry {
  /** Variable name. */
  name: string;
  /** Value as declared; undefined when it is passed through from the host (`- NAME`) or comes from elsewhere (a secret reference). */
  value: string | undefined;
}

/** A container as a docker compose document declares it. */
export interface ComposeService {
  /** Service name. */
  name: string;
  /** Image reference, when the service names one. */
  image: string | undefined;
  /** Declared environment. */
  environment: EnvEntry[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function scalar(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** Reads `environment:` in either compose form: a map, or a list of `NAME=value` / `NAME`. */
function composeEnvironment(environment: unknown): EnvEntry[] {
  if (Array.isArray(environment)) {
    return environment.map((item) => {
      const text = String(item);
      const eq = text.indexOf("=");
      return eq === -1 ? { name: text, value: undefined } : { name: text.slice(0, eq), value: text.slice(eq + 1) };
    });
  }
  if (isRecord(environment)) {
    return Object.entries(environment).map(([name, value]) => ({ name, value: scalar(value) }));
  }
  return [];
}

/**
 * The services of a docker compose document held in `text` (e.g. a deploy step's stdin); empty
 * when the text is not one. Only text with a top-level `services:` key is parsed.
 */
export function composeServices(text: string): ComposeService[] {
  if (!/^services:/m.test(text)) return [];
  let document: unknown;
  try {
    document = parse(text);
  } catch {
    return [];
  }
  if (!isRecord(document) || !isRecord(document.services)) return [];
  return Object.entries(document.services).map(([name, service]) => ({
    name,
    image: isRecord(service) && typeof service.image === "string" ? service.image : undefined,
    environment: isRecord(service) ? composeEnvironment(service.environment) : [],
  }));
}

/**
 * Environment entries of a provider's container fields (`envs`/`env` lists): docker's
 * `NAME=value` strings and Cloud Run's `{name, value}` objects (a `valueSource` has no value).
 */
export function envListEntries(list: unknown): EnvEntry[] {
  return (itemsOf(list) ?? []).flatMap((item): EnvEntry[] => {
    if (typeof item === "string") {
      const eq = item.indexOf("=");
      return eq === -1 ? [] : [{ name: item.slice(0, eq), value: item.slice(eq + 1) }];
    }
    const name = read(item, "name");
    const value = read(item, "value");
    // A value not known until the update is judged by where it comes from, at the stack level.
    if (typeof name === "string" && value !== unknown) return [{ name, value: scalar(value) }];
    return [];
  });
}

// Properties that carry a file's contents (a deploy step's compose file arrives as a command's stdin)
// and fields that name a container's image or environment.
const documentKeys = new Set(["stdin", "content", "contents"]);
const containerFieldKeys = new Set(["env", "envs", "image", "imageName"]);

/**
 * Paths of the values in a resource's properties that could carry a compose document, a container
 * environment or an image reference but are not known until the update (a preview): file contents
 * such as a command's stdin, and any `env`/`envs` list or `image` field. Empty once the update knows them.
 */
export function unknownContainerSpecPaths(props: Record<string, any>): ValuePath[] {
  return unknownPaths(props).filter((path) => documentKeys.has(String(path[0])) || path.some((part) => containerFieldKeys.has(String(part))));
}
