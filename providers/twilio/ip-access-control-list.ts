/**
 * IP access control list with its addresses (api v2010 `/SIP/IpAccessControlLists` and
 * `/IpAddresses`), for accepting termination calls only from known source IPs. The list's
 * name and its CIDRs update in place (addresses are added and removed one by one).
 */
import type { ProviderContext } from "../base";
import { defineTwilioResource, propertyProblems, twilioCall } from "./define-twilio-resource";
import { friendlyNameProblem, ipv4CidrProblem, splitCidr } from "./rules";
import type { TwilioSettings } from "./settings";

/** IP access control list inputs. */
export interface IpAccessControlListInputs {
  /** Descriptive name, up to 64 characters. */
  friendlyName: string;
  /** IPv4 addresses or CIDRs allowed to place calls; normalized to `a.b.c.d/n`. */
  cidrs: string[];
}

/** Outputs Twilio computes. */
export interface IpAccessControlListComputed {
  /** IP access control list SID (`AL…`). */
  sid: string;
  /** IpAddress SID (`IP…`) of each CIDR. */
  addressSids: Record<string, string>;
}

/** `a.b.c.d` → `a.b.c.d/32`, so state and config compare equal. */
function normalizeCidr(cidr: string): string {
  const { ipAddress, prefixLength } = splitCidr(cidr.trim());
  return `${ipAddress}/${prefixLength}`;
}

async function addAddress(ctx: ProviderContext<TwilioSettings>, listSid: string, cidr: string): Promise<string> {
  const { ipAddress, prefixLength } = splitCidr(cidr);
  const created = await twilioCall(ctx, `allow ${cidr} in IP access control list ${listSid}`, ({ client, accountSid }) =>
    client.api.v2010
      .accounts(accountSid)
      .sip.ipAccessControlLists(listSid)
      .ipAddresses.create({ friendlyName: cidr.replace("/", "-"), ipAddress, cidrPrefixLength: prefixLength }),
  );
  return created.sid;
}

async function removeAddress(ctx: ProviderContext<TwilioSettings>, listSid: string, cidr: string, addressSid: string): Promise<void> {
  await twilioCall(ctx, `remove ${cidr} from IP access control list ${listSid}`, ({ client, accountSid }) =>
    client.api.v2010.accounts(accountSid).sip.ipAccessControlLists(listSid).ipAddresses(addressSid).remove(),
  );
}

async function deleteList(ctx: ProviderContext<TwilioSettings>, listSid: string): Promise<void> {
  await twilioCall(ctx, `delete IP access control list ${listSid}`, ({ client, accountSid }) =>
    client.api.v2010.accounts(accountSid).sip.ipAccessControlLists(listSid).remove(),
  );
}

const ipAccessControlList = defineTwilioResource<IpAccessControlListInputs, IpAccessControlListComputed>({
  type: "IpAccessControlList",
  kind: "Twilio IP access control list",
  fields: { friendlyName: "in place", cidrs: "in place" },
  computed: ["sid", "addressSids"],
  describe: (props) => `"${props.friendlyName ?? props.sid ?? "?"}"`,
  check(news) {
    const failures = propertyProblems({ friendlyName: friendlyNameProblem(news.friendlyName ?? "") });
    const cidrs = news.cidrs ?? [];
    if (cidrs.length === 0) failures.push({ property: "cidrs", reason: "cidrs must list at least one address; omit the list instead" });
    for (const cidr of cidrs) {
      const problem = ipv4CidrProblem(cidr);
      if (problem) failures.push({ property: "cidrs", reason: `cidrs: ${problem}` });
    }
    if (failures.length > 0) return failures;
    return { inputs: { ...news, cidrs: [...new Set(cidrs.map(normalizeCidr))].sort() }, failures };
  },
  async create(ctx, inputs) {
    const list = await twilioCall(ctx, `create IP access control list "${inputs.friendlyName}"`, ({ client, accountSid }) =>
      client.api.v2010.accounts(accountSid).sip.ipAccessControlLists.create({ friendlyName: inputs.friendlyName }),
    );
    const addressSids: Record<string, string> = {};
    try {
      for (const cidr of inputs.cidrs) addressSids[cidr] = await addAddress(ctx, list.sid, cidr);
    } catch (error) {
      // Create must be all-or-nothing: a half-filled list would be orphaned outside state.
      await deleteList(ctx, list.sid).catch(() => undefined);
      throw error;
    }
    return { id: list.sid, computed: { sid: list.sid, addressSids } };
  },
  async read(ctx, id) {
    const { list, addresses } = await twilioCall(ctx, `fetch IP access control list ${id}`, async ({ client, accountSid }) => {
      const acl = client.api.v2010.accounts(accountSid).sip.ipAccessControlLists(id);
      return { list: await acl.fetch(), addresses: await acl.ipAddresses.list() };
    });
    const addressSids = Object.fromEntries(addresses.map((a) => [`${a.ipAddress}/${a.cidrPrefixLength}`, a.sid]));
    return { friendlyName: list.friendlyName, cidrs: Object.keys(addressSids).sort(), sid: list.sid, addressSids };
  },
  async update(ctx, id, olds, news) {
    if (olds.friendlyName !== news.friendlyName) {
      await twilioCall(ctx, `rename IP access control list ${id}`, ({ client, accountSid }) =>
        client.api.v2010.accounts(accountSid).sip.ipAccessControlLists(id).update({ friendlyName: news.friendlyName }),
      );
    }
    const addressSids: Record<string, string> = { ...olds.addressSids };
    // Add before removing so the list never briefly allows fewer sources than either version.
    for (const cidr of news.cidrs.filter((c) => !(c in addressSids))) addressSids[cidr] = await addAddress(ctx, id, cidr);
    for (const cidr of Object.keys(addressSids).filter((c) => !news.cidrs.includes(c))) {
      await removeAddress(ctx, id, cidr, addressSids[cidr]);
      delete addressSids[cidr];
    }
    return { sid: id, addressSids };
  },
  async delete(ctx, id) {
    await deleteList(ctx, id);
  },
});

/** Dynamic provider for {@link IpAccessControlList}. */
export const ipAccessControlListProvider = ipAccessControlList.provider;
/** An IP access control list with its addresses. */
export const IpAccessControlList = ipAccessControlList.Resource;
