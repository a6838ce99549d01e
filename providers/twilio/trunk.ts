/**
 * Twilio Elastic SIP trunk (trunking v1 `/v1/Trunks`). Every field updates in place; the
 * trunk's SID is its identity.
 */
import { defineTwilioResource, propertyProblems, twilioCall } from "./define-twilio-resource";
import { friendlyNameProblem, httpUrlProblem, trunkDomainProblem } from "./rules";

/** Call transfer settings Twilio accepts (`trunk_enum_transfer_setting`). */
const TRANSFER_MODES = ["disable-all", "enable-all", "sip-only"] as const;
/** One of {@link TRANSFER_MODES}. */
export type TransferMode = (typeof TRANSFER_MODES)[number];

/** Trunk inputs. */
export interface TrunkInputs {
  /** Descriptive name, up to 64 characters. */
  friendlyName: string;
  /** Termination domain, ending in `pstn.twilio.com`; LiveKit's outbound trunk dials it. */
  domainName: string;
  /** Secure trunking (TLS signaling + SRTP media). */
  secure: boolean;
  /** CNAM lookup on inbound calls from the US and Canada. */
  cnamLookupEnabled: boolean;
  /** Call transfer setting. */
  transferMode: TransferMode;
  /** TwiML URL Twilio calls when no origination URL answers. */
  disasterRecoveryUrl?: string;
  /** HTTP method for the disaster-recovery URL. */
  disasterRecoveryMethod?: "GET" | "POST";
}

/** Trunk outputs Twilio computes. */
export interface TrunkComputed {
  /** Trunk SID (`TK…`). */
  sid: string;
  /** Account that owns the trunk. */
  accountSid: string;
}

/** A TrunkInstance's fields, as the SDK exposes them. */
interface TrunkFields {
  sid: string;
  accountSid: string;
  friendlyName: string;
  domainName: string;
  secure: boolean;
  cnamLookupEnabled: boolean;
  transferMode: string;
  disasterRecoveryUrl: string | null;
  disasterRecoveryMethod: string | null;
}

/** Maps the SDK's trunk to inputs + computed outputs. */
function fromTwilio(trunk: TrunkFields): TrunkInputs & TrunkComputed {
  return {
    sid: trunk.sid,
    accountSid: trunk.accountSid,
    friendlyName: trunk.friendlyName,
    domainName: trunk.domainName,
    secure: trunk.secure,
    cnamLookupEnabled: trunk.cnamLookupEnabled,
    transferMode: trunk.transferMode as TransferMode,
    // Unset reads back as null (or ""); state holds it as absent, so refresh shows no drift.
    disasterRecoveryUrl: trunk.disasterRecoveryUrl || undefined,
    disasterRecoveryMethod: trunk.disasterRecoveryUrl ? ((trunk.disasterRecoveryMethod || undefined) as TrunkInputs["disasterRecoveryMethod"]) : undefined,
  };
}

/** The form parameters the SDK sends for create and update. */
function toTwilio(inputs: TrunkInputs) {
  return {
    friendlyName: inputs.friendlyName,
    domainName: inputs.domainName,
    secure: inputs.secure,
    cnamLookupEnabled: inputs.cnamLookupEnabled,
    transferMode: inputs.transferMode,
    ...(inputs.disasterRecoveryUrl !== undefined
      ? { disasterRecoveryUrl: inputs.disasterRecoveryUrl, disasterRecoveryMethod: inputs.disasterRecoveryMethod ?? "POST" }
      : {}),
  };
}

const trunk = defineTwilioResource<TrunkInputs, TrunkComputed>({
  type: "Trunk",
  kind: "Twilio SIP trunk",
  fields: {
    friendlyName: "in place",
    domainName: "in place",
    secure: "in place",
    cnamLookupEnabled: "in place",
    transferMode: "in place",
    disasterRecoveryUrl: "in place",
    disasterRecoveryMethod: "in place",
  },
  computed: ["sid", "accountSid"],
  describe: (props) => `"${props.domainName ?? props.sid ?? "?"}"`,
  check(news) {
    const failures = propertyProblems({ friendlyName: friendlyNameProblem(news.friendlyName ?? "") });
    const domain = trunkDomainProblem(news.domainName ?? "");
    if (domain) failures.push({ property: "domainName", reason: domain });
    if (!(TRANSFER_MODES as readonly string[]).includes(news.transferMode)) {
      failures.push({ property: "transferMode", reason: `transferMode "${news.transferMode}" must be one of ${TRANSFER_MODES.join(", ")}` });
    }
    if (news.disasterRecoveryUrl !== undefined) {
      failures.push(...propertyProblems({ disasterRecoveryUrl: httpUrlProblem(news.disasterRecoveryUrl) }));
    }
    if (news.disasterRecoveryMethod !== undefined && !["GET", "POST"].includes(news.disasterRecoveryMethod)) {
      failures.push({ property: "disasterRecoveryMethod", reason: `disasterRecoveryMethod must be GET or POST` });
    }
    return failures;
  },
  diff(olds, news, diff) {
    // The Trunking API has no documented way to clear a disaster-recovery URL (an empty string is
    // not a `uri`), so removing one recreates the trunk, deleting first to free the domain name.
    if (olds.disasterRecoveryUrl === undefined || news.disasterRecoveryUrl !== undefined) return diff;
    return {
      changes: true,
      replaces: ["disasterRecoveryUrl"],
      updates: diff.updates.filter((key) => key !== "disasterRecoveryUrl" && key !== "disasterRecoveryMethod"),
      deleteBeforeReplace: true,
    };
  },
  async create(ctx, inputs) {
    const created = await twilioCall(ctx, `create trunk "${inputs.domainName}"`, ({ client }) => client.trunking.v1.trunks.create(toTwilio(inputs)));
    const { sid, accountSid } = fromTwilio(created);
    return { id: sid, computed: { sid, accountSid } };
  },
  async read(ctx, id) {
    return fromTwilio(await twilioCall(ctx, `fetch trunk ${id}`, ({ client }) => client.trunking.v1.trunks(id).fetch()));
  },
  async update(ctx, id, _olds, news) {
    const updated = await twilioCall(ctx, `update trunk ${id}`, ({ client }) => client.trunking.v1.trunks(id).update(toTwilio(news)));
    const { sid, accountSid } = fromTwilio(updated);
    return { sid, accountSid };
  },
  async delete(ctx, id) {
    await twilioCall(ctx, `delete trunk ${id}`, ({ client }) => client.trunking.v1.trunks(id).remove());
  },
});

/** Dynamic provider for {@link Trunk}. */
export const trunkProvider = trunk.provider;
/** A Twilio Elastic SIP trunk. */
export const Trunk = trunk.Resource;
