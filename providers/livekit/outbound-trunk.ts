/**
 * A LiveKit SIP outbound trunk: what it holds, how its inputs are checked, and the SipClient
 * calls that create, read, update and delete it. Its ID is the `ST_…` trunk ID the worker dials with.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SIPOutboundTrunkInfo } from "livekit-server-sdk";
import { defineLiveKitResource } from "./define-livekit-resource";
import { checkAuthPair, checkList, checkMap, checkOptionalText, checkServerAndName, checkText } from "./input-checks";
import {
  countryProblem,
  displayNameProblem,
  e164Problem,
  headerNameProblem,
  headerValueProblem,
  mediaEncryptionName,
  mediaEncryptionProblem,
  sipHostProblem,
  sipMediaEncryptions,
  type SipMediaEncryptionName,
  sipTransports,
  transportProblem,
  type SipTransportName,
} from "./sip-values";

/** Inputs (and outputs) of a LiveKit SIP outbound trunk. */
export interface OutboundTrunkInputs {
  /** LiveKit API base URL, `https://<domain>`: the server the trunk lives on. */
  url: string;
  /** Trunk name shown in LiveKit listings. */
  name: string;
  /** Host livekit-sip sends INVITEs to: the Twilio termination domain `<trunk>.pstn.twilio.com` (no `sip:`). */
  address: string;
  /** Numbers calls are placed from (caller ID), E.164; LiveKit picks one when a call names none. */
  numbers: string[];
  /** Transport to the carrier. Defaults to `auto` (livekit-sip chooses). */
  transport?: SipTransportName;
  /** Digest username of the carrier's credential list. Defaults to none (no authentication); set with `authPassword`. */
  authUsername?: string;
  /** Digest password (a secret). Defaults to none; set with `authUsername`. */
  authPassword?: string;
  /** Custom `X-*` SIP headers sent with every INVITE. Defaults to none. */
  headers?: Record<string, string>;
  /** ISO 3166-1 alpha-2 country the calls terminate in, for LiveKit's region pinning. Defaults to unset. */
  destinationCountry?: string;
  /** SRTP on the calls' media: `disable`, `allow` or `require`. Defaults to unset (livekit-sip offers clear RTP). */
  mediaEncryption?: SipMediaEncryptionName;
}

/** Validates an outbound trunk's inputs with no API call and fills in defaults. */
export function checkOutboundTrunk(news: OutboundTrunkInputs): {
  inputs: OutboundTrunkInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const failures = checkServerAndName(news);
  checkText(failures, "address", news.address, sipHostProblem, {
    purpose: "the carrier host calls are sent to, e.g. the Twilio termination domain <trunk>.pstn.twilio.com",
  });
  checkList(failures, "numbers", news.numbers, e164Problem, 1, {
    purpose: "the E.164 numbers outbound calls are placed from (the Twilio trunk's numbers)",
  });
  checkOptionalText(failures, "transport", news.transport, transportProblem);
  checkOptionalText(failures, "authUsername", news.authUsername, displayNameProblem);
  checkAuthPair(failures, news.authUsername, news.authPassword, "the carrier authenticates outbound calls with both");
  checkOptionalText(failures, "mediaEncryption", news.mediaEncryption, mediaEncryptionProblem);
  checkMap(failures, "headers", news.headers, headerNameProblem, headerValueProblem);
  checkOptionalText(failures, "destinationCountry", news.destinationCountry, countryProblem);
  const inputs: OutboundTrunkInputs = { ...news, transport: news.transport ?? "auto", headers: news.headers ?? {} };
  return { inputs, failures };
}

/** The transport's enum value in LiveKit's protocol, whose order {@link sipTransports} follows (AUTO=0 … TLS=3). */
function transportCode(name: SipTransportName | undefined): SIPOutboundTrunkInfo["transport"] {
  return Math.max(0, sipTransports.indexOf(name ?? "auto")) as SIPOutboundTrunkInfo["transport"];
}

/** The transport name of LiveKit's enum value; unknown future values read as `auto`. */
function transportName(code: number): SipTransportName {
  return sipTransports[code] ?? "auto";
}

/** The trunk fields LiveKit stores, as the SDK's message constructor takes them. */
function outboundTrunkFields(inputs: OutboundTrunkInputs): {
  name: string;
  address: string;
  numbers: string[];
  transport: SIPOutboundTrunkInfo["transport"];
  authUsername: string;
  authPassword: string;
  headers: Record<string, string>;
  destinationCountry: string;
  media?: { encryption: number };
} {
  return {
    name: inputs.name,
    address: inputs.address,
    numbers: [...inputs.numbers],
    transport: transportCode(inputs.transport),
    authUsername: inputs.authUsername ?? "",
    authPassword: inputs.authPassword ?? "",
    headers: { ...(inputs.headers ?? {}) },
    destinationCountry: inputs.destinationCountry ?? "",
    ...(inputs.mediaEncryption !== undefined && { media: { encryption: sipMediaEncryptions.indexOf(inputs.mediaEncryption) } }),
  };
}

/** The live trunk as inputs, for refresh: LiveKit's empty strings read as unset. */
function outboundTrunkFromInfo(info: SIPOutboundTrunkInfo): Omit<OutboundTrunkInputs, "url"> {
  return {
    name: info.name,
    address: info.address,
    numbers: [...info.numbers],
    transport: transportName(info.transport),
    authUsername: info.authUsername || undefined,
    authPassword: info.authPassword || undefined,
    headers: { ...info.headers },
    destinationCountry: info.destinationCountry || undefined,
    mediaEncryption: mediaEncryptionName(info),
  };
}

/**
 * Every trunk field is updated in place (LiveKit's UpdateSIPOutboundTrunk replaces the stored
 * trunk under the same ID, so a password rotation keeps the ID the worker dials with); only
 * moving to another server (`url`) recreates it.
 */
const outboundTrunk = defineLiveKitResource<OutboundTrunkInputs, SIPOutboundTrunkInfo>({
  noun: "outbound trunk",
  type: "SipOutboundTrunk",
  fields: {
    url: "replaces",
    name: "in place",
    address: "in place",
    numbers: "in place",
    transport: "in place",
    authUsername: "in place",
    authPassword: "in place",
    headers: "in place",
    destinationCountry: "in place",
    mediaEncryption: "in place",
  },
  secret: ["authPassword"],
  check: checkOutboundTrunk,
  create(client, inputs) {
    const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
    const { name, address, numbers, media, ...options } = outboundTrunkFields(inputs);
    // The SDK's option takes the protocol message, which it does not export: built through the trunk message.
    return client.createSipOutboundTrunk(name, address, numbers, { ...options, media: new sdk.SIPOutboundTrunkInfo({ media }).media });
  },
  list: (client, id) => client.listSipOutboundTrunk({ trunkIds: [id] }),
  idOf: (trunk) => trunk.sipTrunkId,
  fromInfo: outboundTrunkFromInfo,
  update(client, id, inputs) {
    const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
    // A whole-trunk replace under the same ID: the field-mask update cannot change headers.
    return client.updateSipOutboundTrunk(id, new sdk.SIPOutboundTrunkInfo({ ...outboundTrunkFields(inputs), sipTrunkId: id }));
  },
  remove: (client, id) => client.deleteSipTrunk(id),
});

/** CRUD for {@link LiveKitSipOutboundTrunk}; credentials come from stack config through `configure`. */
export const outboundTrunkProvider = outboundTrunk.provider;

/** A LiveKit SIP outbound trunk (`pulumi-nodejs:dynamic/livekit:SipOutboundTrunk`); `authPassword` stays secret in state and previews. */
export const LiveKitSipOutboundTrunk = outboundTrunk.Resource;
