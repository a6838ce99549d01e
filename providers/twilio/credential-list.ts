/**
 * SIP credential list (api v2010 `/Accounts/{AccountSid}/SIP/CredentialLists`): the list the
 * trunk's termination auth points at. Its friendly name updates in place.
 */
import { defineTwilioResource, propertyProblems, twilioCall } from "./define-twilio-resource";
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

const credentialList = defineTwilioResource<CredentialListInputs, CredentialListComputed>({
  type: "CredentialList",
  kind: "Twilio SIP credential list",
  fields: { friendlyName: "in place" },
  computed: ["sid"],
  describe: (props) => `"${props.friendlyName ?? props.sid ?? "?"}"`,
  check: (news) => propertyProblems({ friendlyName: friendlyNameProblem(news.friendlyName ?? "") }),
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

/** Dynamic provider for {@link CredentialList}. */
export const credentialListProvider = credentialList.provider;
/** A SIP credential list on the Twilio account. */
export const CredentialList = credentialList.Resource;
