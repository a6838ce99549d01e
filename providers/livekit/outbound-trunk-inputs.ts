/**
 * What a LiveKit SIP outbound trunk holds, how its inputs are checked and how a change to
 * each one is applied. Pure: no API calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SIPOutboundTrunkInfo } from "livekit-server-sdk";
import type { DiffPolicy } from "../base/diff";
import { apiUrlProblem } from "./api-url";
import { checkAuthPair, checkList, checkMap, checkOptionalText, checkText } from "./input-checks";
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
  sipTransports,
  transportProblem,
  type SipMediaEncryptionName,
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

/**
 * How each change is applied. Every trunk field is updated in place (LiveKit's
 * UpdateSIPOutboundTrunk replaces the stored trunk under the same ID, so a password rotation
 * keeps the ID the worker dials with); only moving to another server (`url`) recreates it.
 */
export const outboundTrunkDiffPolicy: DiffPolicy<OutboundTrunkInputs> = {
  replaceOn: ["url"],
  updateInPlace: ["name", "address", "numbers", "transport", "authUsername", "authPassword", "headers", "destinationCountry", "mediaEncryption"],
};

/** Validates an outbound trunk's inputs with no API call and fills in defaults. */
export function checkOutboundTrunk(news: OutboundTrunkInputs): {
  inputs: OutboundTrunkInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  checkText(failures, "url", news.url, apiUrlProblem, { purpose: "the LiveKit API URL, https://<domain>" });
  checkText(failures, "name", news.name, displayNameProblem);
  checkText(failures, "address", news.address, sipHostProblem, {
    purpose: "the carrier host calls are sent to, e.g. the Twilio termination domain <trunk>.pstn.twilio.com",
  });
  checkList(failures, "numbers", news.numbers, e164Problem, 1, {
    purpose: "the E.164 numbers outbound calls are placed from (the Twilio trunk's numbers)",
  });
  checkOptionalText(failures, "transport", news.transport, transportProblem);
  checkOptionalText(failures, "authUsername", news.authUsername, displayNameProblem);
  checkAuthPair(failures, news.authUsername, news.authPassword, "the carrier authenticates outbound calls with both");
  checkMap(failures, "headers", news.headers, headerNameProblem, headerValueProblem);
  checkOptionalText(failures, "destinationCountry", news.destinationCountry, countryProblem);
  checkOptionalText(failures, "mediaEncryption", news.mediaEncryption, mediaEncryptionProblem);
  const inputs: OutboundTrunkInputs = { ...news, transport: news.transport ?? "auto", headers: news.headers ?? {} };
  return { inputs, failures };
}

/** The transport's enum value in LiveKit's protocol, whose order {@link sipTransports} follows (AUTO=0 … TLS=3). */
export function transportCode(name: SipTransportName | undefined): SIPOutboundTrunkInfo["transport"] {
  return Math.max(0, sipTransports.indexOf(name ?? "auto")) as SIPOutboundTrunkInfo["transport"];
}

/** The transport name of LiveKit's enum value; unknown future values read as `auto`. */
export function transportName(code: number): SipTransportName {
  return sipTransports[code] ?? "auto";
}

/** The trunk fields LiveKit stores, as the SDK's message constructor takes them. */
export function outboundTrunkFields(inputs: OutboundTrunkInputs): {
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
export function outboundTrunkFromInfo(info: SIPOutboundTrunkInfo): Omit<OutboundTrunkInputs, "url"> {
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
