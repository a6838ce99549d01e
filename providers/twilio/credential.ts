/**
 * SIP credential (username + password) in a credential list (api v2010
 * `/SIP/CredentialLists/{CL}/Credentials`). Twilio never returns the password, so state keeps
 * an HMAC of it keyed by the credential SID (`passwordHash`) and the credential's
 * `dateUpdated`: a password changed outside Pulumi moves `dateUpdated`, `read` then marks the
 * hash stale, and the next `pulumi up` sets the configured password again.
 */
import { defineTwilioResource, propertyProblems, twilioCall } from "./define-twilio-resource";
import { sipPasswordProblem, sipUsernameProblem } from "./rules";

/** Credential inputs. */
export interface CredentialInputs {
  /** The credential list holding this credential (`CL…`). */
  credentialListSid: string;
  /** SIP digest username, up to 32 characters. */
  username: string;
  /** SIP digest password (secret), checked against Twilio's rules before any API call. */
  password: string;
}

/** Credential outputs computed here or by Twilio. */
export interface CredentialComputed {
  /** Credential SID (`CR…`). */
  sid: string;
  /** HMAC-SHA256 of the password keyed by the SID, or a marker saying it changed outside Pulumi. */
  passwordHash: string;
  /** When Twilio last changed the credential (ISO 8601); moves on every password change. */
  dateUpdated: string;
}

/** The hash state keeps of a password. */
export function passwordHash(sid: string, password: string): string {
  const crypto = require("crypto") as typeof import("crypto");
  return crypto.createHmac("sha256", sid).update(password).digest("hex");
}

/** What `passwordHash` becomes when Twilio reports a change Pulumi did not make. */
export function driftMarker(dateUpdated: string): string {
  return `changed outside Pulumi at ${dateUpdated}`;
}

/** Twilio's `date_updated` as ISO 8601 ("" when Twilio sends none). */
function isoDate(date: Date | null | undefined): string {
  return date ? date.toISOString() : "";
}

const credential = defineTwilioResource<CredentialInputs, CredentialComputed>({
  type: "Credential",
  kind: "Twilio SIP credential",
  fields: { credentialListSid: "replaces", username: "replaces", password: "in place" },
  computed: ["sid", "passwordHash", "dateUpdated"],
  secret: ["password", "passwordHash"],
  describe: (props) => `"${props.username ?? props.sid ?? "?"}"`,
  check: (news) =>
    propertyProblems({ username: sipUsernameProblem(news.username ?? ""), password: sipPasswordProblem(news.password ?? "") }),
  // The password is compared by its hash: state never holds it in a form Twilio could echo.
  diff(olds, news) {
    const replaces = (["credentialListSid", "username"] as const).filter((key) => olds[key] !== news[key]);
    const passwordChanged = olds.passwordHash !== passwordHash(olds.sid, news.password);
    const updates = passwordChanged ? ["password"] : [];
    return { changes: replaces.length + updates.length > 0, replaces, updates };
  },
  async create(ctx, inputs) {
    const credential = await twilioCall(ctx, `create SIP credential "${inputs.username}"`, ({ client, accountSid }) =>
      client.api.v2010
        .accounts(accountSid)
        .sip.credentialLists(inputs.credentialListSid)
        .credentials.create({ username: inputs.username, password: inputs.password }),
    );
    const sid = credential.sid;
    return { id: sid, computed: { sid, passwordHash: passwordHash(sid, inputs.password), dateUpdated: isoDate(credential.dateUpdated) } };
  },
  async read(ctx, id, props) {
    const credential = await twilioCall(ctx, `fetch SIP credential ${id}`, ({ client, accountSid }) =>
      client.api.v2010.accounts(accountSid).sip.credentialLists(props.credentialListSid).credentials(id).fetch(),
    );
    const dateUpdated = isoDate(credential.dateUpdated);
    return {
      credentialListSid: credential.credentialListSid,
      username: credential.username,
      sid: credential.sid,
      dateUpdated,
      passwordHash: dateUpdated === props.dateUpdated ? props.passwordHash : driftMarker(dateUpdated),
    };
  },
  async update(ctx, id, olds, news) {
    const credential = await twilioCall(ctx, `rotate password of SIP credential "${news.username}"`, ({ client, accountSid }) =>
      client.api.v2010.accounts(accountSid).sip.credentialLists(olds.credentialListSid).credentials(id).update({ password: news.password }),
    );
    return { sid: id, passwordHash: passwordHash(id, news.password), dateUpdated: isoDate(credential.dateUpdated) };
  },
  async delete(ctx, id, props) {
    await twilioCall(ctx, `delete SIP credential ${id}`, ({ client, accountSid }) =>
      client.api.v2010.accounts(accountSid).sip.credentialLists(props.credentialListSid).credentials(id).remove(),
    );
  },
});

/** Dynamic provider for {@link Credential}. */
export const credentialProvider = credential.provider;
/** A SIP credential; `password` and `passwordHash` stay secret in state. */
export const Credential = credential.Resource;
