/**
 * The CRUD boilerplate every dynamic provider here shares: settings from the `configure`
 * step, retries on each API call, outputs that echo every input, 404-on-delete as success,
 * 404-on-read as "gone", and errors/log lines scrubbed of secrets.
 *
 * The returned provider object is serialized by Pulumi's closure serializer, so this module
 * (and everything it calls at run time) imports no npm package at module level; definitions
 * `require` their SDKs inside methods, and module-level values they use must be plain data
 * (arrays, objects, RegExps; the serializer turns a module-level Set or Map into a plain object).
 */
import type * as pulumi from "@pulumi/pulumi";
import { diffProperties, type DiffPolicy, type NamedDiffResult } from "./diff";
import { isNotFoundError } from "./http-status";
import type { ProviderConfig } from "./provider-config";
import { redact, safeError } from "./redact";
import { withRetry, type RetryPolicy, type RetryVerdict } from "./retry";

/**
 * The engine's placeholder for values not known yet during preview (e.g. the SID of a
 * resource still to be created). Checks must skip such values instead of rejecting them.
 * See node_modules/@pulumi/pulumi/runtime/rpc.js (`unknownValue`).
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when a dynamic-provider input is the engine's preview placeholder. */
export function isUnknownValue(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}

/** True when a value is, or (as an array) holds, the engine's preview placeholder. */
function containsUnknown(value: unknown): boolean {
  return isUnknownValue(value) || (Array.isArray(value) && value.some(isUnknownValue));
}

/** What a definition's CRUD methods get besides their properties. */
export interface ProviderContext<Settings> {
  /** Settings built by the definition's `connect` from stack config. */
  readonly settings: Settings;
  /** Runs one API call, retrying transient failures; `action` names it in logs and errors (e.g. `create trunk "x"`). */
  call<T>(action: string, operation: () => Promise<T>): Promise<T>;
  /** Writes one line to the provider log, secrets redacted. */
  log(line: string): void;
}

/** A provider's behaviour, minus the boilerplate {@link defineProvider} adds. */
export interface ProviderDefinition<Settings, Inputs extends object, Computed extends object> {
  /** What the resource is, for messages (e.g. `Twilio SIP trunk`). */
  kind: string;
  /** Builds settings (credentials, endpoints) from stack config; called from `configure`. Throws a clear error for missing keys. */
  connect(config: ProviderConfig): Settings;
  /** Secret values to scrub from every error and log line: credentials from settings and secret properties. */
  secrets(settings: Settings | undefined, props: Partial<Inputs & Computed>): (string | undefined)[];
  /** Short identity of one resource for messages (e.g. its name), never a secret. */
  describe(props: Partial<Inputs & Computed>): string;
  /** Validates and normalizes inputs with no API call; failures on properties still unknown in preview are dropped. Defaults to accepting inputs as given. */
  check?(news: Inputs, olds: Partial<Inputs & Computed>): pulumi.dynamic.CheckFailure[] | { inputs: Inputs; failures: pulumi.dynamic.CheckFailure[] };
  /** Which input changes replace and which update in place. */
  diffPolicy: DiffPolicy<Inputs>;
  /** Custom diff for properties the policy cannot compare directly (e.g. secrets tracked by hash). Defaults to `diffProperties` with `diffPolicy`. */
  diff?(olds: Inputs & Computed, news: Inputs): NamedDiffResult;
  /** Creates the resource; returns its ID and computed outputs (inputs are echoed automatically). */
  create(ctx: ProviderContext<Settings>, inputs: Inputs): Promise<{ id: string; computed: Computed }>;
  /** Reads live state; returns the live inputs and computed outputs, or undefined when the resource is gone. */
  read(ctx: ProviderContext<Settings>, id: string, props: Inputs & Computed): Promise<Partial<Inputs> & Computed | undefined>;
  /** Applies in-place changes; returns computed outputs. Required when `diffPolicy.updateInPlace` is non-empty. */
  update?(ctx: ProviderContext<Settings>, id: string, olds: Inputs & Computed, news: Inputs): Promise<Computed>;
  /** Deletes the resource. A not-found error after retries counts as done. */
  delete(ctx: ProviderContext<Settings>, id: string, props: Inputs & Computed): Promise<void>;
  /** Retry policy overrides. Defaults to `defaultRetryPolicy`. */
  retry?: Partial<RetryPolicy>;
  /** Transient-error classifier. Defaults to `classifyTransient` (429/5xx). */
  classify?: (error: unknown) => RetryVerdict;
  /** Not-found classifier for read and delete. Defaults to HTTP 404. */
  isNotFound?: (error: unknown) => boolean;
  /** Log sink. Defaults to `console.error`, which the engine records in the provider log. */
  log?: (line: string) => void;
}

/**
 * A dynamic provider built by {@link defineProvider}; `configure` must run before CRUD.
 * Every method is present and create/update always return the full outputs, so tests and
 * scripts can call them directly.
 */
export interface DefinedProvider<Inputs, Outputs>
  extends Required<Pick<pulumi.dynamic.ResourceProvider<Inputs, Outputs>, "configure" | "check" | "read" | "delete">> {
  /** Diff naming replacing and in-place properties. */
  diff(id: string, olds: Outputs, news: Inputs): Promise<NamedDiffResult>;
  /** Creates the resource; outputs are the inputs plus computed properties. */
  create(inputs: Inputs): Promise<{ id: string; outs: Outputs }>;
  /** Updates in place; outputs are the new inputs plus computed properties. */
  update(id: string, olds: Outputs, news: Inputs): Promise<{ outs: Outputs }>;
}

/**
 * Builds a `pulumi.dynamic.ResourceProvider` from a definition. Credentials reach it only
 * through `configure` (stack config), never through the closure.
 */
export function defineProvider<Settings, Inputs extends object, Computed extends object>(
  definition: ProviderDefinition<Settings, Inputs, Computed>,
): DefinedProvider<Inputs, Inputs & Computed> {
  type Outputs = Inputs & Computed;
  // Filled by `configure` in the provider process; empty when the program serializes the provider.
  const state: { settings?: Settings } = {};
  const sink = definition.log ?? ((line: string) => console.error(line));
  const isNotFound = definition.isNotFound ?? isNotFoundError;

  const scrub = (props: Partial<Outputs>) => definition.secrets(state.settings, props);
  const fail = (verb: string, props: Partial<Outputs>, error: unknown) =>
    safeError(`${definition.kind} ${definition.describe(props)}: ${verb} failed`, error, scrub(props));

  const context = (props: Partial<Outputs>): ProviderContext<Settings> => {
    if (state.settings === undefined) {
      throw new Error(
        `${definition.kind} provider was not configured: the Pulumi engine passes stack config to dynamic providers ` +
          "through `configure` (pulumi/pulumi#17697). Upgrade the Pulumi CLI and run the deployment again.",
      );
    }
    const log = (line: string) => sink(redact(line, scrub(props)));
    return {
      settings: state.settings,
      log,
      call: (action, operation) =>
        withRetry(action, operation, { policy: definition.retry, classify: definition.classify, log }),
    };
  };

  return {
    async configure(req) {
      try {
        state.settings = definition.connect(req.config);
      } catch (error) {
        throw safeError(`${definition.kind} provider configuration`, error, []);
      }
    },

    async check(olds, news) {
      const outcome = definition.check?.(news, olds) ?? [];
      const { inputs, failures } = Array.isArray(outcome) ? { inputs: news, failures: outcome } : outcome;
      const secrets = scrub(news);
      // During preview, inputs computed from resources not yet created arrive as the engine's
      // placeholder; only the real value can be judged, at `up`.
      const judged = failures.filter((f) => !containsUnknown((news as Record<string, unknown>)[f.property]));
      return { inputs, failures: judged.map((f) => ({ property: f.property, reason: redact(f.reason, secrets) })) };
    },

    async diff(_id, olds, news) {
      return definition.diff ? definition.diff(olds, news) : diffProperties<Inputs>(olds, news, definition.diffPolicy);
    },

    async create(inputs) {
      try {
        const { id, computed } = await definition.create(context(inputs), inputs);
        // An ID-less success would leave a state entry that can never be read, updated or deleted.
        if (typeof id !== "string" || id === "") {
          throw new Error("the API reported success but returned no ID; nothing was recorded, check the account for a stray resource");
        }
        return { id, outs: recordable({ ...inputs, ...computed }) };
      } catch (error) {
        throw fail("create", inputs, error);
      }
    },

    async read(id, props) {
      const known = (props ?? {}) as Outputs;
      try {
        const live = await definition.read(context(known), id, known);
        return live === undefined ? {} : { id, props: recordable({ ...known, ...live }) };
      } catch (error) {
        if (isNotFound(error)) return {};
        throw fail("read", known, error);
      }
    },

    async update(id, olds, news) {
      try {
        if (!definition.update) throw new Error("this resource has no in-place update; its diff policy must replace instead");
        const computed = await definition.update(context(news), id, olds, news);
        return { outs: recordable({ ...news, ...computed }) };
      } catch (error) {
        throw fail("update", news, error);
      }
    },

    async delete(id, props) {
      try {
        await definition.delete(context(props), id, props);
      } catch (error) {
        if (isNotFound(error)) return;
        throw fail("delete", props, error);
      }
    },
  };
}

/**
 * The properties without `undefined` values (at any depth): the engine's property encoding
 * cannot carry `undefined`, and an absent optional field from an API response would otherwise
 * fail the whole step after the API call succeeded.
 */
function recordable<T extends object>(props: T): T {
  return dropUndefined(props) as T;
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(dropUndefined);
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, dropUndefined(v)]));
  }
  return value;
}
