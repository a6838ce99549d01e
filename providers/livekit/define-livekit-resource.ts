/**
 * The LiveKit flavour of the shared resource declaration: every LiveKit SIP resource lives on
 * the server at its `url`, is named by its `name`, reaches the API through livekit-server-sdk's
 * SipClient with the credentials from stack config, and is read back by listing its ID. A
 * resource declares its fields and the SipClient call for each step; the rest is here.
 *
 * Serialized by Pulumi with the provider: the SDK is `require`d inside the declared calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SipClient } from "livekit-server-sdk";
import { defineResource, type DefinedResource, type FieldChange } from "../base/define-resource";
import { callLiveKit, classifyLiveKitFailure, connectLiveKit, type LiveKitCredentials } from "./livekit-api";

/** What every LiveKit SIP resource has: the server it lives on and its name in LiveKit's listings. */
interface LiveKitInputs {
  /** LiveKit API base URL, `https://<domain>`. */
  url: string;
  /** Name shown in LiveKit listings. */
  name: string;
}

/** Computed outputs of the LiveKit resources: none beyond their ID; every output echoes an input. */
type NoComputedOutputs = Record<never, never>;

/** A LiveKit SIP resource kind: its fields and its SipClient calls. `Info` is the SDK's message for it. */
interface LiveKitResourceDeclaration<Inputs extends LiveKitInputs, Info> {
  /** What it is, for messages: `LiveKit SIP <noun>`, `create <noun> "<name>"` (e.g. `outbound trunk`). */
  noun: string;
  /** Type part of the token `pulumi-nodejs:dynamic/livekit:<type>` (part of every stack's state: never rename). */
  type: string;
  /** Every input field, in the order the outputs list them, and what a change to it does. */
  fields: { readonly [K in keyof Inputs & string]-?: FieldChange };
  /** Fields kept secret in state and previews, and scrubbed from messages. Defaults to none. */
  secret?: readonly (keyof Inputs & string)[];
  /** Delete the old one before creating its replacement (LiveKit refuses two that conflict on one server). Defaults to false. */
  deleteBeforeReplace?: boolean;
  /** Validates inputs with no API call, filling in defaults. */
  check(news: Inputs): pulumi.dynamic.CheckFailure[] | { inputs: Inputs; failures: pulumi.dynamic.CheckFailure[] };
  /** Creates it; returns what LiveKit stored. */
  create(client: SipClient, inputs: Inputs): Promise<Info>;
  /** Lists it by ID. */
  list(client: SipClient, id: string): Promise<Info[]>;
  /** Its ID in LiveKit's message (`ST_…`, `SDR_…`). */
  idOf(info: Info): string;
  /** The live resource as inputs (all but `url`), for refresh: LiveKit's empty strings read as unset. */
  fromInfo(info: Info): Partial<Inputs>;
  /** Replaces the stored resource under the same ID. */
  update(client: SipClient, id: string, inputs: Inputs): Promise<unknown>;
  /** Deletes it. */
  remove(client: SipClient, id: string): Promise<unknown>;
}

/** Builds a LiveKit SIP resource's provider and class; credentials come from stack config through `configure`. */
export function defineLiveKitResource<Inputs extends LiveKitInputs, Info>(
  declaration: LiveKitResourceDeclaration<Inputs, Info>,
): DefinedResource<Inputs, Inputs> {
  // Referred to as `declaration.<call>`, never destructured: Pulumi's closure serializer turns each
  // method below into a function of the same name, which would shadow a captured `create` or `list`.
  const { noun } = declaration;
  return defineResource<LiveKitCredentials, Inputs, NoComputedOutputs>({
    module: "livekit",
    type: declaration.type,
    kind: `LiveKit SIP ${noun}`,
    fields: declaration.fields,
    secret: declaration.secret,
    deleteBeforeReplace: declaration.deleteBeforeReplace,
    connect: connectLiveKit,
    settingsSecrets: (settings) => [settings?.apiSecret],
    describe: (props) => JSON.stringify(props.name ?? ""),
    check: (news) => declaration.check(news),
    classify: classifyLiveKitFailure,

    async create(ctx, inputs) {
      const info = await callLiveKit(ctx, inputs.url, `create ${noun} "${inputs.name}"`, (client) => declaration.create(client, inputs));
      return { id: declaration.idOf(info), computed: {} };
    },

    async read(ctx, id, props) {
      const found = await callLiveKit(ctx, props.url, `read ${noun} ${id}`, (client) => declaration.list(client, id));
      // Filtering by ID returns only matches on a self-hosted server; LiveKit Cloud may pad missing IDs.
      const live = found.find((info) => info !== undefined && info !== null && declaration.idOf(info) === id);
      return live === undefined ? undefined : declaration.fromInfo(live);
    },

    async update(ctx, id, _olds, news) {
      await callLiveKit(ctx, news.url, `update ${noun} ${id}`, (client) => declaration.update(client, id, news));
      return {};
    },

    async delete(ctx, id, props) {
      await callLiveKit(ctx, props.url, `delete ${noun} ${id}`, (client) => declaration.remove(client, id));
    },
  });
}
