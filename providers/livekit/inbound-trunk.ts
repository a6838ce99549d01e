/**
 * A LiveKit SIP inbound trunk: what it holds, how its inputs are checked, and the SipClient calls
 * that create, read, update and delete it. Its ID is the `ST_…` trunk ID dispatch rules refer to.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SIPInboundTrunkInfo } from "livekit-server-sdk";
import { isUnknownValue as isUnknown } from "../base/define-provider";
import { defineLiveKitResource } from "./define-livekit-resource";
import { sendSipRequest } from "./livekit-api";
import { checkAuthPair, checkList, checkOptionalText, checkServerAndName } from "./input-checks";
import {
  allowedAddressProblem,
  displayNameProblem,
  e164Problem,
  mediaEncryptionName,
  mediaEncryptionProblem,
  sipMediaEncryptions,
  type SipMediaEncryptionName,
} from "./sip-values";

/** Inputs (and outputs) of a LiveKit SIP inbound trunk. */
export interface InboundTrunkInputs {
  /** LiveKit API base URL, `https://<domain>`: the server the trunk lives on. */
  url: string;
  /** Trunk name shown in LiveKit listings. */
  name: string;
  /** The numbers callers dial (E.164); the trunk accepts calls to these only. */
  numbers: string[];
  /** IP addresses or CIDR blocks calls may come from: the carrier's signaling ranges. Defaults to none (then auth is required). */
  allowedAddresses?: string[];
  /** Digest username the carrier must authenticate with. Defaults to none; set with `authPassword`. */
  authUsername?: string;
  /** Digest password (a secret). Defaults to none; set with `authUsername`. */
  authPassword?: string;
  /**
   * Seconds livekit-sip keeps a call ringing while no agent has answered it (no worker registered,
   * every job process busy, the worker draining); then it refuses the call with 486 Busy Here, so
   * the caller hears a busy signal. 1-180; defaults to {@link DEFAULT_INBOUND_RINGING_TIMEOUT_SECONDS}.
   */
  ringingTimeoutSeconds?: number;
  /**
   * Longest call in seconds, counted from the answer: livekit-sip hangs up then, so no inbound call
   * outlives the stack's stop grace. 60-86400; defaults to none (livekit-sip's own 24 hours).
   */
  maxCallDurationSeconds?: number;
  /**
   * SRTP on the calls' media: `disable`, `allow` or `require` (a call offering clear RTP only is
   * refused with 400 Bad Request). Defaults to unset (livekit-sip answers with clear RTP).
   */
  mediaEncryption?: SipMediaEncryptionName;
}

/**
 * Default of `ringingTimeoutSeconds`. livekit-server dispatches an inbound call's agent once, when
 * the room is created, and never retries a dispatch that found no worker: a call nobody has answered
 * by then never will be. 20 s still covers a job process started on a busy machine (about a CPU-second
 * each, one at a time), where livekit-sip's own default (3 minutes) would keep a caller listening to
 * ringback long after the outcome is known.
 */
const DEFAULT_INBOUND_RINGING_TIMEOUT_SECONDS = 20;

/** livekit-sip's own upper bound on ringing (`defaultRingingTimeout`, v1.8.0). */
const MAX_RINGING_TIMEOUT_SECONDS = 180;

/** livekit-sip's own limit on a call (24 hours), the most a trunk may set. */
const MAX_CALL_DURATION_SECONDS = 86_400;

/** Source ranges that match every address: without auth they would let anyone place calls into rooms. */
const ANY_SOURCE = ["0.0.0.0/0", "::/0"];

/** Validates an inbound trunk's inputs with no API call and fills in defaults. */
export function checkInboundTrunk(news: InboundTrunkInputs): {
  inputs: InboundTrunkInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const failures = checkServerAndName(news);
  checkList(failures, "numbers", news.numbers, e164Problem, 1, {
    purpose: "the E.164 numbers callers dial (the Twilio trunk's numbers)",
  });
  checkList(failures, "allowedAddresses", news.allowedAddresses, allowedAddressProblem, 0);
  checkOptionalText(failures, "authUsername", news.authUsername, displayNameProblem);
  checkAuthPair(failures, news.authUsername, news.authPassword, "the carrier must authenticate with both");
  checkOptionalText(failures, "mediaEncryption", news.mediaEncryption, mediaEncryptionProblem);

  const ringing = news.ringingTimeoutSeconds;
  if (ringing !== undefined && !isUnknown(ringing) && !(Number.isInteger(ringing) && ringing >= 1 && ringing <= MAX_RINGING_TIMEOUT_SECONDS)) {
    failures.push({
      property: "ringingTimeoutSeconds",
      reason:
        `ringingTimeoutSeconds: got ${JSON.stringify(ringing)}; expected whole seconds from 1 to ${MAX_RINGING_TIMEOUT_SECONDS}, ` +
        `how long a caller hears ringing while no agent answers (default ${DEFAULT_INBOUND_RINGING_TIMEOUT_SECONDS})`,
    });
  }

  const longest = news.maxCallDurationSeconds;
  if (longest !== undefined && !isUnknown(longest) && !(Number.isInteger(longest) && longest >= 60 && longest <= MAX_CALL_DURATION_SECONDS)) {
    failures.push({
      property: "maxCallDurationSeconds",
      reason: `maxCallDurationSeconds: got ${JSON.stringify(longest)}; expected whole seconds from 60 to ${MAX_CALL_DURATION_SECONDS}, the longest call livekit-sip lets through this trunk (omit it for livekit-sip's 24 hours)`,
    });
  }

  const addresses = Array.isArray(news.allowedAddresses) ? news.allowedAddresses : [];
  const hasAuth = news.authUsername !== undefined && news.authUsername !== "";
  const addressesKnown = !isUnknown(news.allowedAddresses) && !addresses.some(isUnknown);
  if (addressesKnown && !hasAuth) {
    if (addresses.length === 0) {
      failures.push({
        property: "allowedAddresses",
        reason:
          "allowedAddresses is empty and no authUsername/authPassword is set, so anyone could call in: list the carrier's " +
          "signaling ranges (e.g. Twilio's 54.172.60.0/30) or set digest credentials",
      });
    }
    for (const open of addresses.filter((address) => ANY_SOURCE.includes(address))) {
      failures.push({
        property: "allowedAddresses",
        reason: `allowedAddresses: ${JSON.stringify(open)} admits every source and no authUsername/authPassword is set: list the carrier's signaling ranges instead, or set digest credentials`,
      });
    }
  }
  return {
    inputs: {
      ...news,
      allowedAddresses: news.allowedAddresses ?? [],
      ringingTimeoutSeconds: news.ringingTimeoutSeconds ?? DEFAULT_INBOUND_RINGING_TIMEOUT_SECONDS,
    },
    failures,
  };
}

/** The trunk as LiveKit stores it, the SDK's message (`id` once it exists). */
function inboundTrunkInfo(inputs: InboundTrunkInputs, id?: string): SIPInboundTrunkInfo {
  const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
  const seconds = (value: number) => ({ seconds: BigInt(value) });
  return new sdk.SIPInboundTrunkInfo({
    ...(id !== undefined && { sipTrunkId: id }),
    name: inputs.name,
    numbers: [...inputs.numbers],
    allowedAddresses: [...(inputs.allowedAddresses ?? [])],
    authUsername: inputs.authUsername ?? "",
    authPassword: inputs.authPassword ?? "",
    ringingTimeout: seconds(inputs.ringingTimeoutSeconds ?? DEFAULT_INBOUND_RINGING_TIMEOUT_SECONDS),
    ...(inputs.maxCallDurationSeconds !== undefined && { maxCallDuration: seconds(inputs.maxCallDurationSeconds) }),
    ...(inputs.mediaEncryption !== undefined && { media: { encryption: sipMediaEncryptions.indexOf(inputs.mediaEncryption) } }),
  });
}

/** The live trunk as inputs, for refresh: LiveKit's empty strings read as unset. */
function inboundTrunkFromInfo(info: SIPInboundTrunkInfo): Omit<InboundTrunkInputs, "url"> {
  return {
    name: info.name,
    numbers: [...info.numbers],
    allowedAddresses: [...info.allowedAddresses],
    authUsername: info.authUsername || undefined,
    authPassword: info.authPassword || undefined,
    // A trunk made before this field (or outside Pulumi) has none: livekit-sip's 3 minutes apply.
    ringingTimeoutSeconds: info.ringingTimeout ? Number(info.ringingTimeout.seconds) : undefined,
    maxCallDurationSeconds: info.maxCallDuration ? Number(info.maxCallDuration.seconds) : undefined,
    mediaEncryption: mediaEncryptionName(info),
  };
}

/**
 * LiveKit's UpdateSIPInboundTrunk replaces the stored trunk under the same ID, so every field
 * updates in place. Moving to another server (`url`) recreates the trunk, deleting the old one
 * first: two trunks for the same numbers on one server conflict.
 */
const inboundTrunk = defineLiveKitResource<InboundTrunkInputs, SIPInboundTrunkInfo>({
  noun: "inbound trunk",
  type: "SipInboundTrunk",
  fields: {
    url: "replaces",
    name: "in place",
    numbers: "in place",
    allowedAddresses: "in place",
    authUsername: "in place",
    authPassword: "in place",
    ringingTimeoutSeconds: "in place",
    maxCallDurationSeconds: "in place",
    mediaEncryption: "in place",
  },
  secret: ["authPassword"],
  deleteBeforeReplace: true,
  check: checkInboundTrunk,
  async create(client, inputs) {
    const sdk = require("livekit-server-sdk") as typeof import("livekit-server-sdk");
    // The SDK's createSipInboundTrunk has no max call duration: the whole trunk goes over its transport.
    const data = await sendSipRequest(client, "CreateSIPInboundTrunk", { trunk: inboundTrunkInfo(inputs).toJson() });
    return sdk.SIPInboundTrunkInfo.fromJson(data as never, { ignoreUnknownFields: true });
  },
  list: (client, id) => client.listSipInboundTrunk({ trunkIds: [id] }),
  idOf: (trunk) => trunk.sipTrunkId,
  fromInfo: inboundTrunkFromInfo,
  update: (client, id, inputs) => client.updateSipInboundTrunk(id, inboundTrunkInfo(inputs, id)),
  remove: (client, id) => client.deleteSipTrunk(id),
});

/** CRUD for {@link LiveKitSipInboundTrunk}; credentials come from stack config through `configure`. */
export const inboundTrunkProvider = inboundTrunk.provider;

/** A LiveKit SIP inbound trunk (`pulumi-nodejs:dynamic/livekit:SipInboundTrunk`); `authPassword` stays secret in state and previews. */
export const LiveKitSipInboundTrunk = inboundTrunk.Resource;
