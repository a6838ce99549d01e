/**
 * What a LiveKit SIP inbound trunk holds and how its inputs are checked. Pure: no API calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SIPInboundTrunkInfo } from "livekit-server-sdk";
import type { DiffPolicy } from "../base/diff";
import { isUnknownValue as isUnknown } from "../base/unknown";
import { apiUrlProblem } from "./api-url";
import { checkAuthPair, checkList, checkOptionalText, checkText } from "./input-checks";
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
export const DEFAULT_INBOUND_RINGING_TIMEOUT_SECONDS = 20;

/** livekit-sip's own upper bound on ringing (`defaultRingingTimeout`, v1.8.0). */
const MAX_RINGING_TIMEOUT_SECONDS = 180;

/**
 * How each change is applied: LiveKit's UpdateSIPInboundTrunk replaces the stored trunk under
 * the same ID, so every field updates in place. Moving to another server (`url`) recreates
 * the trunk, deleting the old one first: two trunks for the same numbers on one server conflict.
 */
export const inboundTrunkDiffPolicy: DiffPolicy<InboundTrunkInputs> = {
  replaceOn: ["url"],
  updateInPlace: ["name", "numbers", "allowedAddresses", "authUsername", "authPassword", "ringingTimeoutSeconds", "mediaEncryption"],
  deleteBeforeReplace: true,
};

/** Source ranges that match every address: without auth they would let anyone place calls into rooms. */
const ANY_SOURCE = ["0.0.0.0/0", "::/0"];

/** Validates an inbound trunk's inputs with no API call and fills in defaults. */
export function checkInboundTrunk(news: InboundTrunkInputs): {
  inputs: InboundTrunkInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  checkText(failures, "url", news.url, apiUrlProblem, { purpose: "the LiveKit API URL, https://<domain>" });
  checkText(failures, "name", news.name, displayNameProblem);
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

/** The trunk fields LiveKit stores, as the SDK's message constructor takes them. */
export function inboundTrunkFields(inputs: InboundTrunkInputs): {
  name: string;
  numbers: string[];
  allowedAddresses: string[];
  authUsername: string;
  authPassword: string;
  ringingTimeoutSeconds: number;
  media?: { encryption: number };
} {
  return {
    name: inputs.name,
    numbers: [...inputs.numbers],
    allowedAddresses: [...(inputs.allowedAddresses ?? [])],
    authUsername: inputs.authUsername ?? "",
    authPassword: inputs.authPassword ?? "",
    ringingTimeoutSeconds: inputs.ringingTimeoutSeconds ?? DEFAULT_INBOUND_RINGING_TIMEOUT_SECONDS,
    ...(inputs.mediaEncryption !== undefined && { media: { encryption: sipMediaEncryptions.indexOf(inputs.mediaEncryption) } }),
  };
}

/** The live trunk as inputs, for refresh: LiveKit's empty strings read as unset. */
export function inboundTrunkFromInfo(info: SIPInboundTrunkInfo): Omit<InboundTrunkInputs, "url"> {
  return {
    name: info.name,
    numbers: [...info.numbers],
    allowedAddresses: [...info.allowedAddresses],
    authUsername: info.authUsername || undefined,
    authPassword: info.authPassword || undefined,
    // A trunk made before this field (or outside Pulumi) has none: livekit-sip's 3 minutes apply.
    ringingTimeoutSeconds: info.ringingTimeout ? Number(info.ringingTimeout.seconds) : undefined,
    mediaEncryption: mediaEncryptionName(info),
  };
}
