/**
 * The fake Twilio account's state and the handlers for the endpoints the Twilio providers
 * call. Records are rendered the way Twilio renders them (snake_case, every documented field,
 * ISO dates on trunking v1, RFC 2822 dates on api v2010, relative `uri`s on api v2010).
 * Business rules Twilio documents (password rules, domain suffix, number ownership) are
 * enforced, so a provider that skips its own checks is caught here.
 */
import { randomBytes } from "node:crypto";

/** A handler's reply. */
export interface Reply {
  status: number;
  body?: unknown;
}

/** What a handler receives. */
export interface HandlerRequest {
  /** Path parameters by the OpenAPI template's names. */
  params: Record<string, string>;
  /** Form parameters. */
  form: Record<string, string | string[]>;
  /** Query parameters. */
  query: Record<string, string | string[]>;
}

/** Twilio's REST error body. */
export function twilioError(status: number, code: number, message: string): Reply {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

// 20404 is Twilio's documented not-found code; the 4xx validation and conflict codes below
// are the fake's stand-ins (providers branch on HTTP status only, never on these codes).
const notFound = (what: string) => twilioError(404, 20404, `The requested resource ${what} was not found`);
const invalid = (message: string) => twilioError(400, 21201, message);

/** Keeps timestamps moving one second per change, like Twilio's second-resolution dates, without sleeping. */
class Clock {
  private now = Date.parse("2026-01-05T10:00:00Z");
  tick(): Date {
    this.now += 1000;
    return new Date(this.now);
  }
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const rfc2822 = (d: Date) => {
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
};

/** A new SID with Twilio's two-letter prefix. */
export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString("hex");
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
const bool = (value: string | string[] | undefined, fallback: boolean) => (value === undefined ? fallback : single(value) === "true");

interface Stamped {
  created: Date;
  updated: Date;
}
interface TrunkRecord extends Stamped {
  sid: string;
  friendlyName: string | null;
  domainName: string | null;
  disasterRecoveryUrl: string | null;
  disasterRecoveryMethod: string | null;
  secure: boolean;
  cnamLookupEnabled: boolean;
  transferMode: string;
  transferCallerId: string;
  credentialLists: Map<string, Stamped>;
  ipAccessControlLists: Map<string, Stamped>;
  originationUrls: Map<string, OriginationUrlRecord>;
}
interface OriginationUrlRecord extends Stamped {
  sid: string;
  friendlyName: string;
  sipUrl: string;
  priority: number;
  weight: number;
  enabled: boolean;
}
/** A number's SMS and status callbacks as Twilio shows them when none is set (both number resources list them). */
const unsetNumberCallbacks = {
  sms_application_sid: null,
  sms_fallback_method: "POST",
  sms_fallback_url: null,
  sms_method: "POST",
  sms_url: null,
  status_callback: null,
  status_callback_method: "POST",
};

/** A number's voice handling when a trunk, not a URL or application, takes its calls. */
const unsetVoiceCallbacks = {
  voice_application_sid: null,
  voice_caller_id_lookup: false,
  voice_fallback_method: "POST",
  voice_fallback_url: null,
  voice_method: "POST",
  voice_url: null,
};

interface CredentialListRecord extends Stamped {
  sid: string;
  friendlyName: string;
  credentials: Map<string, CredentialRecord>;
}
interface CredentialRecord extends Stamped {
  sid: string;
  username: string;
  password: string;
}
interface IpAccessControlListRecord extends Stamped {
  sid: string;
  friendlyName: string;
  addresses: Map<string, IpAddressRecord>;
}
interface IpAddressRecord extends Stamped {
  sid: string;
  friendlyName: string;
  ipAddress: string;
  cidrPrefixLength: number;
}
interface PhoneNumberRecord extends Stamped {
  sid: string;
  phoneNumber: string;
  trunkSid: string | null;
}

/** Twilio's SIP password rules (api v2010 CreateSipCredential `Password` description). */
function passwordIsValid(password: string): boolean {
  return password.length >= 12 && password.length < 256 && /\d/.test(password) && /[a-z]/.test(password) && /[A-Z]/.test(password);
}

/** One fake Twilio account. */
export class TwilioAccountState {
  readonly trunks = new Map<string, TrunkRecord>();
  readonly credentialLists = new Map<string, CredentialListRecord>();
  readonly ipAccessControlLists = new Map<string, IpAccessControlListRecord>();
  readonly phoneNumbers = new Map<string, PhoneNumberRecord>();
  private readonly clock = new Clock();

  constructor(readonly accountSid: string) {}

  /** Gives the account a number, as buying one in the Console would; returns its PN SID. */
  ownPhoneNumber(e164: string): string {
    const now = this.clock.tick();
    const sid = newSid("PN");
    this.phoneNumbers.set(sid, { sid, phoneNumber: e164, trunkSid: null, created: now, updated: now });
    return sid;
  }

  /** Changes a credential's password behind the providers' back (as a Console edit would). */
  changePasswordOutOfBand(credentialSid: string, password: string): void {
    for (const list of this.credentialLists.values()) {
      const credential = list.credentials.get(credentialSid);
      if (credential) {
        credential.password = password;
        credential.updated = this.clock.tick();
        return;
      }
    }
    throw new Error(`no credential ${credentialSid}`);
  }

  /** The password a credential currently has (only the fake can know). */
  passwordOf(credentialSid: string): string | undefined {
    for (const list of this.credentialLists.values()) {
      const credential = list.credentials.get(credentialSid);
      if (credential) return credential.password;
    }
    return undefined;
  }

  // ---- rendering -------------------------------------------------------------------------

  private trunkUrl(sid: string) {
    return `https://trunking.twilio.com/v1/Trunks/${sid}`;
  }
  private apiUri(rest: string) {
    return `/2010-04-01/Accounts/${this.accountSid}/${rest}`;
  }

  /** What every trunking v1 resource shows of its record: the account, its SID and its ISO 8601 stamps. */
  private trunkingFields(sid: string, stamp: Stamped) {
    return { account_sid: this.accountSid, sid, date_created: iso(stamp.created), date_updated: iso(stamp.updated) };
  }

  /** The same for an api v2010 resource, whose stamps are RFC 2822 dates. */
  private apiFields(sid: string, stamp: Stamped) {
    return { account_sid: this.accountSid, sid, date_created: rfc2822(stamp.created), date_updated: rfc2822(stamp.updated) };
  }

  private renderTrunk(t: TrunkRecord) {
    const authTypes = [...(t.ipAccessControlLists.size ? ["IP_ACL"] : []), ...(t.credentialLists.size ? ["CREDENTIAL_LIST"] : [])];
    const url = this.trunkUrl(t.sid);
    return {
      ...this.trunkingFields(t.sid, t),
      domain_name: t.domainName,
      disaster_recovery_method: t.disasterRecoveryMethod,
      disaster_recovery_url: t.disasterRecoveryUrl,
      friendly_name: t.friendlyName,
      secure: t.secure,
      recording: { mode: "do-not-record", trim: "do-not-trim" },
      transfer_mode: t.transferMode,
      transfer_caller_id: t.transferCallerId,
      cnam_lookup_enabled: t.cnamLookupEnabled,
      auth_type: authTypes.join(","),
      symmetric_rtp_enabled: false,
      auth_type_set: authTypes,
      url,
      links: {
        origination_urls: `${url}/OriginationUrls`,
        credential_lists: `${url}/CredentialLists`,
        ip_access_control_lists: `${url}/IpAccessControlLists`,
        phone_numbers: `${url}/PhoneNumbers`,
      },
    };
  }

  private renderTrunkList(trunkSid: string, kind: "CredentialLists" | "IpAccessControlLists", listSid: string, stamp: Stamped) {
    const friendlyName =
      kind === "CredentialLists" ? this.credentialLists.get(listSid)?.friendlyName : this.ipAccessControlLists.get(listSid)?.friendlyName;
    return {
      ...this.trunkingFields(listSid, stamp),
      trunk_sid: trunkSid,
      friendly_name: friendlyName ?? null,
      url: `${this.trunkUrl(trunkSid)}/${kind}/${listSid}`,
    };
  }

  private renderOriginationUrl(trunkSid: string, o: OriginationUrlRecord) {
    return {
      ...this.trunkingFields(o.sid, o),
      trunk_sid: trunkSid,
      weight: o.weight,
      enabled: o.enabled,
      sip_url: o.sipUrl,
      friendly_name: o.friendlyName,
      priority: o.priority,
      url: `${this.trunkUrl(trunkSid)}/OriginationUrls/${o.sid}`,
    };
  }

  private renderTrunkPhoneNumber(p: PhoneNumberRecord) {
    const uri = this.apiUri(`IncomingPhoneNumbers/${p.sid}.json`);
    return {
      ...this.trunkingFields(p.sid, p),
      address_requirements: "none",
      api_version: "2010-04-01",
      beta: false,
      capabilities: { voice: true, sms: false, mms: false, fax: false },
      friendly_name: p.phoneNumber,
      links: { phone_number: `https://api.twilio.com${uri}` },
      phone_number: p.phoneNumber,
      ...unsetNumberCallbacks,
      trunk_sid: p.trunkSid,
      url: `${this.trunkUrl(p.trunkSid ?? "")}/PhoneNumbers/${p.sid}`,
      ...unsetVoiceCallbacks,
    };
  }

  private renderIncomingPhoneNumber(p: PhoneNumberRecord) {
    return {
      ...this.apiFields(p.sid, p),
      address_sid: null,
      address_requirements: "none",
      api_version: "2010-04-01",
      beta: false,
      capabilities: { voice: true, sms: false, mms: false, fax: false },
      friendly_name: p.phoneNumber,
      identity_sid: null,
      phone_number: p.phoneNumber,
      origin: "twilio",
      ...unsetNumberCallbacks,
      trunk_sid: p.trunkSid,
      uri: this.apiUri(`IncomingPhoneNumbers/${p.sid}.json`),
      voice_receive_mode: "voice",
      ...unsetVoiceCallbacks,
      emergency_status: "Inactive",
      emergency_address_sid: null,
      emergency_address_status: "unregistered",
      bundle_sid: null,
      status: "in-use",
    };
  }

  /** A credential list or IP access control list, with the URI of its one subresource (its credentials, its IP addresses). */
  private renderSipList(path: string, list: Stamped & { sid: string; friendlyName: string }, subresource: { key: string; path: string }) {
    return {
      ...this.apiFields(list.sid, list),
      friendly_name: list.friendlyName,
      subresource_uris: { [subresource.key]: this.apiUri(`SIP/${path}/${list.sid}/${subresource.path}.json`) },
      uri: this.apiUri(`SIP/${path}/${list.sid}.json`),
    };
  }

  private renderCredential(listSid: string, c: CredentialRecord) {
    return {
      ...this.apiFields(c.sid, c),
      credential_list_sid: listSid,
      username: c.username,
      uri: this.apiUri(`SIP/CredentialLists/${listSid}/Credentials/${c.sid}.json`),
    };
  }

  private renderIpAddress(listSid: string, ip: IpAddressRecord) {
    return {
      ...this.apiFields(ip.sid, ip),
      friendly_name: ip.friendlyName,
      ip_address: ip.ipAddress,
      cidr_prefix_length: ip.cidrPrefixLength,
      ip_access_control_list_sid: listSid,
      uri: this.apiUri(`SIP/IpAccessControlLists/${listSid}/IpAddresses/${ip.sid}.json`),
    };
  }

  /** An api v2010 list page (single page; the providers never need more). */
  private apiPage(key: string, path: string, items: unknown[], query: Record<string, string | string[]>) {
    const pageSize = Number(single(query.PageSize) ?? 50);
    const search = new URLSearchParams({ ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, single(v) ?? ""])), PageSize: String(pageSize), Page: "0" });
    const uri = `${this.apiUri(path)}?${search.toString()}`;
    const shown = items.slice(0, pageSize);
    return {
      [key]: shown,
      end: Math.max(0, shown.length - 1),
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri,
    };
  }

  /** A trunking v1 list page (single page; callers never need more). */
  private trunkingPage(key: string, url: string, items: unknown[], query: Record<string, string | string[]>) {
    const pageSize = Number(single(query.PageSize) ?? 50);
    const pageUrl = `${url}?PageSize=${pageSize}&Page=0`;
    return {
      [key]: items.slice(0, pageSize),
      meta: { first_page_url: pageUrl, key, next_page_url: null, page: 0, page_size: pageSize, previous_page_url: null, url: pageUrl },
    };
  }

  // ---- trunking v1 ------------------------------------------------------------------------

  private trunk(sid: string): TrunkRecord | undefined {
    return this.trunks.get(sid);
  }

  private applyTrunkForm(t: TrunkRecord, form: HandlerRequest["form"]): Reply | undefined {
    const domain = single(form.DomainName);
    if (domain !== undefined) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.pstn\.twilio\.com$/i.test(domain)) return invalid(`DomainName ${domain} must end with pstn.twilio.com`);
      const clash = [...this.trunks.values()].find((other) => other.domainName === domain && other.sid !== t.sid);
      if (clash) return twilioError(409, 21248, `DomainName ${domain} is already in use`);
      t.domainName = domain;
    }
    if (form.FriendlyName !== undefined) t.friendlyName = single(form.FriendlyName) ?? null;
    if (form.DisasterRecoveryUrl !== undefined) t.disasterRecoveryUrl = single(form.DisasterRecoveryUrl) ?? null;
    if (form.DisasterRecoveryMethod !== undefined) t.disasterRecoveryMethod = single(form.DisasterRecoveryMethod) ?? null;
    if (form.Secure !== undefined) t.secure = bool(form.Secure, false);
    if (form.CnamLookupEnabled !== undefined) t.cnamLookupEnabled = bool(form.CnamLookupEnabled, false);
    if (form.TransferMode !== undefined) t.transferMode = single(form.TransferMode) ?? "disable-all";
    if (form.TransferCallerId !== undefined) t.transferCallerId = single(form.TransferCallerId) ?? "from-transferee";
    return undefined;
  }

  /**
   * Create, fetch, update (the friendly name) and delete of a named SIP list trunks associate with
   * (credential lists, IP access control lists); deleting one also detaches it from every trunk.
   */
  private sipListHandlers<L extends Stamped & { sid: string; friendlyName: string }>(
    operation: string,
    path: string,
    lists: Map<string, L>,
    sidPrefix: string,
    onTrunk: (trunk: TrunkRecord) => Map<string, Stamped>,
    make: (base: Stamped & { sid: string; friendlyName: string }) => L,
    subresource: { key: string; path: string },
  ): Record<string, (req: HandlerRequest) => Reply> {
    const render = (list: L) => this.renderSipList(path, list, subresource);
    const missing = (sid: string) => notFound(`/SIP/${path}/${sid}.json`);
    return {
      [`Create${operation}`]: ({ form }) => {
        const now = this.clock.tick();
        const list = make({ sid: newSid(sidPrefix), friendlyName: single(form.FriendlyName) ?? "", created: now, updated: now });
        lists.set(list.sid, list);
        return { status: 201, body: render(list) };
      },
      [`Fetch${operation}`]: ({ params }) => {
        const list = lists.get(params.Sid);
        return list ? { status: 200, body: render(list) } : missing(params.Sid);
      },
      [`Update${operation}`]: ({ params, form }) => {
        const list = lists.get(params.Sid);
        if (!list) return missing(params.Sid);
        list.friendlyName = single(form.FriendlyName) ?? list.friendlyName;
        list.updated = this.clock.tick();
        return { status: 200, body: render(list) };
      },
      [`Delete${operation}`]: ({ params }) => {
        if (!lists.delete(params.Sid)) return missing(params.Sid);
        for (const trunk of this.trunks.values()) onTrunk(trunk).delete(params.Sid);
        return { status: 204 };
      },
    };
  }

  /** Handlers by OpenAPI operationId. */
  readonly handlers: Record<string, (req: HandlerRequest) => Reply> = {
    CreateTrunk: ({ form }) => {
      const now = this.clock.tick();
      const t: TrunkRecord = {
        sid: newSid("TK"),
        friendlyName: null,
        domainName: null,
        disasterRecoveryUrl: null,
        disasterRecoveryMethod: null,
        secure: false,
        cnamLookupEnabled: false,
        transferMode: "disable-all",
        transferCallerId: "from-transferee",
        credentialLists: new Map(),
        ipAccessControlLists: new Map(),
        originationUrls: new Map(),
        created: now,
        updated: now,
      };
      const problem = this.applyTrunkForm(t, form);
      if (problem) return problem;
      this.trunks.set(t.sid, t);
      return { status: 201, body: this.renderTrunk(t) };
    },
    ListTrunk: ({ query }) => ({
      status: 200,
      body: this.trunkingPage("trunks", "https://trunking.twilio.com/v1/Trunks", [...this.trunks.values()].map((t) => this.renderTrunk(t)), query),
    }),
    FetchTrunk: ({ params }) => {
      const t = this.trunk(params.Sid);
      return t ? { status: 200, body: this.renderTrunk(t) } : notFound(`/Trunks/${params.Sid}`);
    },
    UpdateTrunk: ({ params, form }) => {
      const t = this.trunk(params.Sid);
      if (!t) return notFound(`/Trunks/${params.Sid}`);
      const problem = this.applyTrunkForm(t, form);
      if (problem) return problem;
      t.updated = this.clock.tick();
      return { status: 200, body: this.renderTrunk(t) };
    },
    DeleteTrunk: ({ params }) => {
      const t = this.trunk(params.Sid);
      if (!t) return notFound(`/Trunks/${params.Sid}`);
      for (const number of this.phoneNumbers.values()) if (number.trunkSid === t.sid) number.trunkSid = null;
      this.trunks.delete(t.sid);
      return { status: 204 };
    },

    CreateCredentialList: ({ params, form }) => this.associate(params.TrunkSid, "CredentialLists", single(form.CredentialListSid) ?? ""),
    FetchCredentialList: ({ params }) => this.fetchAssociation(params.TrunkSid, "CredentialLists", params.Sid),
    DeleteCredentialList: ({ params }) => this.dissociate(params.TrunkSid, "CredentialLists", params.Sid),
    CreateIpAccessControlList: ({ params, form }) => this.associate(params.TrunkSid, "IpAccessControlLists", single(form.IpAccessControlListSid) ?? ""),
    FetchIpAccessControlList: ({ params }) => this.fetchAssociation(params.TrunkSid, "IpAccessControlLists", params.Sid),
    DeleteIpAccessControlList: ({ params }) => this.dissociate(params.TrunkSid, "IpAccessControlLists", params.Sid),

    CreateOriginationUrl: ({ params, form }) => {
      const t = this.trunk(params.TrunkSid);
      if (!t) return notFound(`/Trunks/${params.TrunkSid}`);
      const now = this.clock.tick();
      const o: OriginationUrlRecord = {
        sid: newSid("OU"),
        friendlyName: single(form.FriendlyName) ?? "",
        sipUrl: single(form.SipUrl) ?? "",
        priority: Number(single(form.Priority)),
        weight: Number(single(form.Weight)),
        enabled: bool(form.Enabled, true),
        created: now,
        updated: now,
      };
      if (!o.sipUrl.startsWith("sip:")) return invalid(`SipUrl ${o.sipUrl} must use the sip: scheme`);
      t.originationUrls.set(o.sid, o);
      return { status: 201, body: this.renderOriginationUrl(t.sid, o) };
    },
    ListOriginationUrl: ({ params, query }) => {
      const t = this.trunk(params.TrunkSid);
      if (!t) return notFound(`/Trunks/${params.TrunkSid}`);
      const urls = [...t.originationUrls.values()].map((o) => this.renderOriginationUrl(t.sid, o));
      return { status: 200, body: this.trunkingPage("origination_urls", `${this.trunkUrl(t.sid)}/OriginationUrls`, urls, query) };
    },
    FetchOriginationUrl: ({ params }) => {
      const o = this.trunk(params.TrunkSid)?.originationUrls.get(params.Sid);
      return o ? { status: 200, body: this.renderOriginationUrl(params.TrunkSid, o) } : notFound(`/Trunks/${params.TrunkSid}/OriginationUrls/${params.Sid}`);
    },
    UpdateOriginationUrl: ({ params, form }) => {
      const o = this.trunk(params.TrunkSid)?.originationUrls.get(params.Sid);
      if (!o) return notFound(`/Trunks/${params.TrunkSid}/OriginationUrls/${params.Sid}`);
      if (form.FriendlyName !== undefined) o.friendlyName = single(form.FriendlyName) ?? "";
      if (form.SipUrl !== undefined) o.sipUrl = single(form.SipUrl) ?? "";
      if (form.Priority !== undefined) o.priority = Number(single(form.Priority));
      if (form.Weight !== undefined) o.weight = Number(single(form.Weight));
      if (form.Enabled !== undefined) o.enabled = bool(form.Enabled, true);
      o.updated = this.clock.tick();
      return { status: 200, body: this.renderOriginationUrl(params.TrunkSid, o) };
    },
    DeleteOriginationUrl: ({ params }) => {
      const t = this.trunk(params.TrunkSid);
      if (!t?.originationUrls.delete(params.Sid)) return notFound(`/Trunks/${params.TrunkSid}/OriginationUrls/${params.Sid}`);
      return { status: 204 };
    },

    CreatePhoneNumber: ({ params, form }) => {
      const t = this.trunk(params.TrunkSid);
      if (!t) return notFound(`/Trunks/${params.TrunkSid}`);
      const number = this.phoneNumbers.get(single(form.PhoneNumberSid) ?? "");
      if (!number) return notFound(`/IncomingPhoneNumbers/${single(form.PhoneNumberSid)}`);
      number.trunkSid = t.sid;
      number.updated = this.clock.tick();
      return { status: 201, body: this.renderTrunkPhoneNumber(number) };
    },
    FetchPhoneNumber: ({ params }) => {
      const number = this.phoneNumbers.get(params.Sid);
      if (!number || number.trunkSid !== params.TrunkSid) return notFound(`/Trunks/${params.TrunkSid}/PhoneNumbers/${params.Sid}`);
      return { status: 200, body: this.renderTrunkPhoneNumber(number) };
    },
    DeletePhoneNumber: ({ params }) => {
      const number = this.phoneNumbers.get(params.Sid);
      if (!number || number.trunkSid !== params.TrunkSid) return notFound(`/Trunks/${params.TrunkSid}/PhoneNumbers/${params.Sid}`);
      number.trunkSid = null;
      number.updated = this.clock.tick();
      return { status: 204 };
    },

    // ---- api v2010 --------------------------------------------------------------------------

    ListIncomingPhoneNumber: ({ query }) => {
      const wanted = single(query.PhoneNumber);
      const numbers = [...this.phoneNumbers.values()].filter((p) => wanted === undefined || p.phoneNumber === wanted);
      return { status: 200, body: this.apiPage("incoming_phone_numbers", "IncomingPhoneNumbers.json", numbers.map((p) => this.renderIncomingPhoneNumber(p)), query) };
    },
    FetchIncomingPhoneNumber: ({ params }) => {
      const number = this.phoneNumbers.get(params.Sid);
      return number ? { status: 200, body: this.renderIncomingPhoneNumber(number) } : notFound(`/IncomingPhoneNumbers/${params.Sid}.json`);
    },

    ...this.sipListHandlers("SipCredentialList", "CredentialLists", this.credentialLists, "CL", (t) => t.credentialLists, (base) => ({
      ...base,
      credentials: new Map(),
    }), { key: "credentials", path: "Credentials" }),

    CreateSipCredential: ({ params, form }) => {
      const list = this.credentialLists.get(params.CredentialListSid);
      if (!list) return notFound(`/SIP/CredentialLists/${params.CredentialListSid}.json`);
      const username = single(form.Username) ?? "";
      const password = single(form.Password) ?? "";
      if (username.length === 0 || username.length > 32) return invalid("Username must be 1 to 32 characters");
      if (!passwordIsValid(password)) return invalid("Password must be at least 12 characters, contain a digit and mixed case");
      if ([...list.credentials.values()].some((c) => c.username === username)) return twilioError(409, 21450, `Username ${username} already exists in this list`);
      const now = this.clock.tick();
      const credential: CredentialRecord = { sid: newSid("CR"), username, password, created: now, updated: now };
      list.credentials.set(credential.sid, credential);
      return { status: 201, body: this.renderCredential(list.sid, credential) };
    },
    FetchSipCredential: ({ params }) => {
      const credential = this.credentialLists.get(params.CredentialListSid)?.credentials.get(params.Sid);
      return credential ? { status: 200, body: this.renderCredential(params.CredentialListSid, credential) } : notFound(`/Credentials/${params.Sid}.json`);
    },
    UpdateSipCredential: ({ params, form }) => {
      const credential = this.credentialLists.get(params.CredentialListSid)?.credentials.get(params.Sid);
      if (!credential) return notFound(`/Credentials/${params.Sid}.json`);
      const password = single(form.Password);
      if (password !== undefined) {
        if (!passwordIsValid(password)) return invalid("Password must be at least 12 characters, contain a digit and mixed case");
        credential.password = password;
      }
      credential.updated = this.clock.tick();
      return { status: 200, body: this.renderCredential(params.CredentialListSid, credential) };
    },
    DeleteSipCredential: ({ params }) => {
      if (!this.credentialLists.get(params.CredentialListSid)?.credentials.delete(params.Sid)) return notFound(`/Credentials/${params.Sid}.json`);
      return { status: 204 };
    },

    ...this.sipListHandlers("SipIpAccessControlList", "IpAccessControlLists", this.ipAccessControlLists, "AL", (t) => t.ipAccessControlLists, (base) => ({
      ...base,
      addresses: new Map(),
    }), { key: "ip_addresses", path: "IpAddresses" }),
    CreateSipIpAddress: ({ params, form }) => {
      const acl = this.ipAccessControlLists.get(params.IpAccessControlListSid);
      if (!acl) return notFound(`/SIP/IpAccessControlLists/${params.IpAccessControlListSid}.json`);
      const now = this.clock.tick();
      const ip: IpAddressRecord = {
        sid: newSid("IP"),
        friendlyName: single(form.FriendlyName) ?? "",
        ipAddress: single(form.IpAddress) ?? "",
        cidrPrefixLength: Number(single(form.CidrPrefixLength) ?? 32),
        created: now,
        updated: now,
      };
      acl.addresses.set(ip.sid, ip);
      return { status: 201, body: this.renderIpAddress(acl.sid, ip) };
    },
    ListSipIpAddress: ({ params, query }) => {
      const acl = this.ipAccessControlLists.get(params.IpAccessControlListSid);
      if (!acl) return notFound(`/SIP/IpAccessControlLists/${params.IpAccessControlListSid}.json`);
      const items = [...acl.addresses.values()].map((ip) => this.renderIpAddress(acl.sid, ip));
      return { status: 200, body: this.apiPage("ip_addresses", `SIP/IpAccessControlLists/${acl.sid}/IpAddresses.json`, items, query) };
    },
    DeleteSipIpAddress: ({ params }) => {
      if (!this.ipAccessControlLists.get(params.IpAccessControlListSid)?.addresses.delete(params.Sid)) return notFound(`/IpAddresses/${params.Sid}.json`);
      return { status: 204 };
    },
  };

  private associate(trunkSid: string, kind: "CredentialLists" | "IpAccessControlLists", listSid: string): Reply {
    const t = this.trunk(trunkSid);
    if (!t) return notFound(`/Trunks/${trunkSid}`);
    const exists = kind === "CredentialLists" ? this.credentialLists.has(listSid) : this.ipAccessControlLists.has(listSid);
    if (!exists) return notFound(`${kind}/${listSid}`);
    const map = kind === "CredentialLists" ? t.credentialLists : t.ipAccessControlLists;
    if (map.has(listSid)) return twilioError(409, 21450, `${listSid} is already associated with trunk ${trunkSid}`);
    const now = this.clock.tick();
    const stamp = { created: now, updated: now };
    map.set(listSid, stamp);
    return { status: 201, body: this.renderTrunkList(trunkSid, kind, listSid, stamp) };
  }

  private fetchAssociation(trunkSid: string, kind: "CredentialLists" | "IpAccessControlLists", listSid: string): Reply {
    const t = this.trunk(trunkSid);
    const stamp = (kind === "CredentialLists" ? t?.credentialLists : t?.ipAccessControlLists)?.get(listSid);
    return stamp ? { status: 200, body: this.renderTrunkList(trunkSid, kind, listSid, stamp) } : notFound(`/Trunks/${trunkSid}/${kind}/${listSid}`);
  }

  private dissociate(trunkSid: string, kind: "CredentialLists" | "IpAccessControlLists", listSid: string): Reply {
    const t = this.trunk(trunkSid);
    const map = kind === "CredentialLists" ? t?.credentialLists : t?.ipAccessControlLists;
    if (!map?.delete(listSid)) return notFound(`/Trunks/${trunkSid}/${kind}/${listSid}`);
    return { status: 204 };
  }
}
