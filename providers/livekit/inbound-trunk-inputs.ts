/**
 * What a LiveKit SIP inbound trunk holds and how its inputs are checked. Pure: no API calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SIPInboundTrunkInfo } from "livekit-server-sdk";
import type { DiffPolicy } from "../base/diff";
import { isUnknownValue as isUnknown } from "../base/unknown";
import { apiUrlProblem } from "./api-url";
import { checkAuthPair, checkList, checkOptionalText, checkText } from "./input-checks";
import { allowedAddressProblem, displayNameProblem, e164Problem } from "./sip-values";

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
}

/**
 * How each change is applied: LiveKit's UpdateSIPInboundTrunk replaces the stored trunk under
 * the same ID, so every field updates in place. Moving to another server (`url`) recreates
 * the trunk, deleting the old one first: two trunks for the same numbers on one server conflict.
 */
export const inboundTrunkDiffPolicy: DiffPolicy<InboundTrunkInputs> = {
  replaceOn: ["url"],
  updateInPlace: ["name", "numbers", "allowedAddresses", "authUsername", "authPassword"],
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
  return { inputs: { ...news, allowedAddresses: news.allowedAddresses ?? [] }, failures };
}

/** The trunk fields LiveKit stores, as the SDK's message constructor takes them. */
export function inboundTrunkFields(inputs: InboundTrunkInputs): {
  name: string;
  numbers: string[];
  allowedAddresses: string[];
  authUsername: string;
  authPassword: string;
} {
  return {
    name: inputs.name,
    numbers: [...inputs.numbers],
    allowedAddresses: [...(inputs.allowedAddresses ?? [])],
    authUsername: inputs.authUsername ?? "",
    authPassword: inputs.authPassword ?? "",
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
  };
}
