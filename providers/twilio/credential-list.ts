/**
 * SIP credential list (api v2010 `/Accounts/{AccountSid}/SIP/CredentialLists`): the list the
 * trunk's termination auth points at. Its friendly name updates in place.
 */
import { dynamicResourceClass } from "../base";
import { defineTwilioProvider, TWILIO_MODULE, twilioCall } from "./define-twilio-provider";
import { friendlyNameProblem } from "./rules";

/** Credential list inputs. */
export interface CredentialListInputs {
  /** Descriptive name, up to 64 characters. */
  friendlyName: string;
}

/** Credential list outputs Twilio computes. */
export interface CredentialListComputed {
  /** Credential list SID (`CL…`). */
  sid: string;
}

/** Dynamic provider for {@link CredentialList}. */
export const credentialListProvider = defineTwilioProvider<CredentialListInputs, CredentialListComputed>({
  kind: "Twilio SIP credential list",
  describe: (props) => `"${props.friendlyName ?? props.sid ?? "?"}"`,
  check(news) {
    const problem = friendlyNameProblem(news.friendlyName ?? "");
    return problem ? [{ property: "friendlyName", reason: `friendlyName ${problem}` }] : [];
  },
  diffPolicy: { replaceOn: [], updateInPlace: ["friendlyName"] },
  async create(ctx, inputs) {
    const list = await twilioCall(ctx, `create credential list "${inputs.friendlyName}"`, ({ client, accountSid }) =>
      client.api.v2010.accounts(accountSid).sip.credentialLists.create({ friendlyName: inputs.friendlyName }),
    );
    return { id: list.sid, computed: { sid: list.sid } };
  },
  async read(ctx, id) {
    const list = await twilioCall(ctx, `fetch credential list ${id}`, ({ client, accountSid }) =>
      client.api.v2010.accounts(accountSid).sip.credentialLists(id).fetch(),
    );
    return { friendlyName: list.friendlyName, sid: list.sid };
  },
  async update(ctx, id, _olds, news) {
    await twilioCall(ctx, `rename credential list ${id}`, ({ client, accountSid }) =>
      client.api.v2010.accounts(accountSid).sip.credentialLists(id).update({ friendlyName: news.friendlyName }),
    );
    return { sid: id };
  },
  async delete(ctx, id) {
    await twilioCall(ctx, `delete credential list ${id}`, ({ client, accountSid }) =>
      client.api.v2010.accounts(accountSid).sip.credentialLists(id).remove(),
    );
  },
});

/** A SIP credential list on the Twilio account. */
export const CredentialList = dynamicResourceClass<CredentialListInputs, CredentialListInputs & CredentialListComputed>({
  module: TWILIO_MODULE,
  type: "CredentialList",
  provider: credentialListProvider,
  outputs: ["friendlyName", "sid"],
});
