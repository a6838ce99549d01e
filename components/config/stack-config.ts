/**
 * The validated shape of a stack's configuration. `S` is how secrets are held: plain strings
 * inside the pure validator, `pulumi.Output<string>` (marked secret) once loaded into the program.
 */
export interface StackConfigOf<S> {
  /** Stack name (`dev`, `staging`, `prod`), used in resource names and fix commands. */
  stack: string;
  /** Public DNS name of the host; TLS certificate and wss signaling URL use it. */
  domain: string;
  /** GCP project, region and zone (from the `gcp:` provider namespace). */
  gcp: { project: string; region: string; zone: string };
  /**
   * Voice nodes: 1 is the single host with its own Redis; 2 or more share Memorystore Redis behind
   * one load-balanced signaling URL, each node with its own VM, static IP and origination URL.
   */
  nodes: number;
  /**
   * Zones the nodes are spread over, round-robin from `gcp.zone` (node 0's zone); unset takes the
   * region's zones (see node-zones.ts).
   */
  zones?: string[];
  /** GCE machine type of the voice host. */
  machineType: string;
  /** Boot disk size in GB. */
  diskSizeGb: number;
  /** Name of a Cloud DNS managed zone to hold the A record(s); unset means DNS is managed by hand. */
  dnsManagedZone?: string;
  /** LiveKit API credentials shared by livekit-server, livekit-sip and the worker. */
  livekit: { apiKey: string; apiSecret: S };
  /** Log level of livekit-server and livekit-sip. */
  logLevel: "debug" | "info" | "warn" | "error";
  /** `agent_name` of the worker that calls are dispatched to. */
  agentName: string;
  /** Agents answering inbound calls to some of `twilio.phoneNumbers` (E.164 → `agent_name`); other numbers reach `agentName`. */
  agentsByNumber: Record<string, string>;
  /** Public ports; see DESIGN.md's network exposure table. */
  ports: { rtcTcp: number; rtcUdp: number; sip: number; rtpStart: number; rtpEnd: number; turnUdp: number };
  /** The longest call in minutes: the trunks' maximum call duration and every call-carrying service's stop grace. */
  maxCallMinutes: number;
  /** Calls one worker process runs at once (the worker's CALLS_PER_PROCESS): the most calls a crash of its code can end. */
  callsPerProcess: number;
  /** Embedded TURN over UDP (clients reach it at the static IP; no TLS, so no name of its own). */
  turn: { enabled: boolean };
  /**
   * Secure trunking: SIP over TLS on 5061 for `sip.<domain>` and SRTP media, between the carrier and
   * livekit-sip; off leaves clear SIP on `ports.sip` and clear RTP.
   */
  secureTrunking: boolean;
  /** Carrier source ranges allowed to reach SIP signaling and RTP media. */
  carrier: { signalingCidrs: string[]; mediaCidrs: string[] };
  /** CIDRs allowed to reach SSH (deploys). Never the whole internet. */
  adminCidrs: string[];
  /** Pinned image versions (tags) of the deployed services. */
  versions: { livekitServer: string; livekitSip: string; redis: string; caddy: string };
  /** Twilio account access and the Elastic SIP trunk to manage. */
  twilio: {
    accountSid: string;
    auth: { kind: "authToken"; authToken: S } | { kind: "apiKey"; apiKeySid: string; apiKeySecret: S };
    trunkDomain: string;
    phoneNumbers: string[];
  };
  /** Digest credentials the SIP trunk uses for outbound (termination) calls. */
  sip: { username: string; password: S };
  /** API keys of the agent worker's AI services; unset keys leave the worker on its greeting pipeline. */
  ai: { openaiApiKey?: S; deepgramApiKey?: S };
  /** Who the alerts notify (email addresses, notification channel names) and where the README's runbook is read. */
  alerting: { channels: string[]; runbookUrl?: string };
}

/** Configuration as the pure validator returns it: secrets as plain strings. */
export type ValidatedConfig = StackConfigOf<string>;

/** Stands for a secret in {@link StackConfigOf}, so the types below can tell where secrets sit. */
declare const secretBrand: unique symbol;
type Secret = { readonly [secretBrand]: true };

/** A value held whole by one config key: a scalar, a list, a map, or a secret. */
type IsLeaf<V> = V extends string | number | boolean | readonly unknown[] | Secret ? true : string extends keyof V ? true : false;

/** Dotted paths to every value of a config shape (`gcp.project`), through unions too (`twilio.auth.apiKeySid`). */
type LeafPath<T> = T extends unknown
  ? { [K in keyof T & string]-?: IsLeaf<NonNullable<T[K]>> extends true ? K : `${K}.${LeafPath<NonNullable<T[K]>>}` }[keyof T & string]
  : never;

/** The type found at path `P` of `T`, whichever member of a union holds it. */
type ValueAt<T, P extends string> = T extends unknown
  ? P extends `${infer Head}.${infer Rest}`
    ? Head extends keyof T
      ? ValueAt<NonNullable<T[Head]>, Rest>
      : never
    : P extends keyof T
      ? NonNullable<T[P]>
      : never
  : never;

/** Where a config key's value lands in the validated config. `stack` and the Twilio credential's `kind` come from no key. */
export type ConfigPath = Exclude<LeafPath<ValidatedConfig>, "stack" | "twilio.auth.kind">;

/** The value a key landing at `P` must parse to. */
export type ConfigValue<P extends ConfigPath> = ValueAt<ValidatedConfig, P>;

/** The paths that hold secrets: a key landing there must be read as a Pulumi secret. */
export type SecretPath = { [P in ConfigPath]: ValueAt<StackConfigOf<Secret>, P> extends Secret ? P : never }[ConfigPath];
