/**
 * Trunk ↔ account-level list associations (trunking v1 `/Trunks/{TK}/CredentialLists` and
 * `/Trunks/{TK}/IpAccessControlLists`): termination auth for outbound calls. Both sides are
 * identity, so any change replaces; the association's ID is `<trunkSid>/<listSid>`.
 */
import type { Twilio } from "twilio";
import { defineTwilioResource, twilioCall } from "./define-twilio-resource";

/** Inputs of both association kinds. */
export interface TrunkAssociationInputs {
  /** Trunk SID (`TK…`). */
  trunkSid: string;
  /** Associated list SID (`CL…` or `AL…`). */
  listSid: string;
}

/** Outputs Twilio computes. */
export interface TrunkAssociationComputed {
  /** The list's friendly name as the trunk reports it. */
  friendlyName: string;
}

/** The SDK calls one association kind needs. */
interface AssociationApi {
  create(client: Twilio, trunkSid: string, listSid: string): Promise<{ friendlyName: string }>;
  fetch(client: Twilio, trunkSid: string, listSid: string): Promise<{ friendlyName: string; trunkSid: string; sid: string }>;
  remove(client: Twilio, trunkSid: string, listSid: string): Promise<boolean>;
}

/** Splits an association ID into its trunk and list SIDs. */
function parseAssociationId(id: string): { trunkSid: string; listSid: string } {
  const [trunkSid, listSid] = id.split("/");
  return { trunkSid, listSid };
}

/** One association kind: the same resource over its list kind's SDK calls. */
function defineAssociation(kind: string, type: string, api: AssociationApi) {
  return defineTwilioResource<TrunkAssociationInputs, TrunkAssociationComputed>({
    type,
    kind,
    fields: { trunkSid: "replaces", listSid: "replaces" },
    computed: ["friendlyName"],
    describe: (props) => `${props.listSid ?? "?"} on trunk ${props.trunkSid ?? "?"}`,
    async create(ctx, inputs) {
      const created = await twilioCall(ctx, `associate ${inputs.listSid} with trunk ${inputs.trunkSid}`, ({ client }) =>
        api.create(client, inputs.trunkSid, inputs.listSid),
      );
      return { id: `${inputs.trunkSid}/${inputs.listSid}`, computed: { friendlyName: created.friendlyName } };
    },
    async read(ctx, id) {
      const { trunkSid, listSid } = parseAssociationId(id);
      const live = await twilioCall(ctx, `fetch association ${id}`, ({ client }) => api.fetch(client, trunkSid, listSid));
      return { trunkSid: live.trunkSid, listSid: live.sid, friendlyName: live.friendlyName };
    },
    async delete(ctx, id) {
      const { trunkSid, listSid } = parseAssociationId(id);
      await twilioCall(ctx, `dissociate ${listSid} from trunk ${trunkSid}`, ({ client }) => api.remove(client, trunkSid, listSid));
    },
  });
}

const credentialListAssociation = defineAssociation("Twilio trunk credential list", "TrunkCredentialList", {
  create: (client, trunkSid, listSid) => client.trunking.v1.trunks(trunkSid).credentialsLists.create({ credentialListSid: listSid }),
  fetch: (client, trunkSid, listSid) => client.trunking.v1.trunks(trunkSid).credentialsLists(listSid).fetch(),
  remove: (client, trunkSid, listSid) => client.trunking.v1.trunks(trunkSid).credentialsLists(listSid).remove(),
});

const ipAccessControlListAssociation = defineAssociation("Twilio trunk IP access control list", "TrunkIpAccessControlList", {
  create: (client, trunkSid, listSid) => client.trunking.v1.trunks(trunkSid).ipAccessControlLists.create({ ipAccessControlListSid: listSid }),
  fetch: (client, trunkSid, listSid) => client.trunking.v1.trunks(trunkSid).ipAccessControlLists(listSid).fetch(),
  remove: (client, trunkSid, listSid) => client.trunking.v1.trunks(trunkSid).ipAccessControlLists(listSid).remove(),
});

/** Dynamic provider for {@link TrunkCredentialList}. */
export const trunkCredentialListProvider = credentialListAssociation.provider;
/** Associates a SIP credential list with a trunk: outbound (termination) calls must authenticate with one of its credentials. */
export const TrunkCredentialList = credentialListAssociation.Resource;

/** Dynamic provider for {@link TrunkIpAccessControlList}. */
export const trunkIpAccessControlListProvider = ipAccessControlListAssociation.provider;
/** Associates an IP access control list with a trunk: outbound calls are accepted only from its addresses. */
export const TrunkIpAccessControlList = ipAccessControlListAssociation.Resource;
