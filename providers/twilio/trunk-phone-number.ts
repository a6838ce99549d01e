/**
 * Trunk ↔ phone number association (trunking v1 `/Trunks/{TK}/PhoneNumbers`). The number is
 * given as E.164 or as its `PN…` SID; either way it is looked up on the account first
 * (api v2010 IncomingPhoneNumbers), so a number the account does not own fails with a message
 * naming it instead of Twilio's bare 404.
 */
import { isNotFoundError, type ProviderContext } from "../base";
import { defineTwilioResource, propertyProblems, twilioCall } from "./define-twilio-resource";
import { PHONE_NUMBER_SID_PATTERN, phoneNumberProblem } from "./rules";
import type { TwilioSettings } from "./settings";

/** Trunk phone number inputs. */
export interface TrunkPhoneNumberInputs {
  /** Trunk SID (`TK…`). */
  trunkSid: string;
  /** The number as configured: E.164 (`+14155550100`) or SID (`PN…`). */
  phoneNumber: string;
}

/** Outputs resolved from the account. */
export interface TrunkPhoneNumberComputed {
  /** Incoming phone number SID (`PN…`). */
  phoneNumberSid: string;
  /** The number in E.164. */
  e164: string;
}

/** The message for a number the account does not own. */
function notOwnedMessage(phoneNumber: string, accountSid: string): string {
  return (
    `phone number ${phoneNumber} is not on Twilio account ${accountSid}. Buy or port it first ` +
    "(Twilio Console › Phone Numbers › Manage › Buy a number), or remove it from stack config \"phoneNumbers\"."
  );
}

/** Finds the account's incoming phone number for an E.164 number or PN SID. */
async function resolvePhoneNumber(ctx: ProviderContext<TwilioSettings>, phoneNumber: string): Promise<{ sid: string; e164: string }> {
  const { accountSid } = ctx.settings;
  if (PHONE_NUMBER_SID_PATTERN.test(phoneNumber)) {
    try {
      const found = await twilioCall(ctx, `look up phone number ${phoneNumber}`, ({ client }) =>
        client.api.v2010.accounts(accountSid).incomingPhoneNumbers(phoneNumber).fetch(),
      );
      return { sid: found.sid, e164: found.phoneNumber };
    } catch (error) {
      if (isNotFoundError(error)) throw new Error(notOwnedMessage(phoneNumber, accountSid));
      throw error;
    }
  }
  const matches = await twilioCall(ctx, `look up phone number ${phoneNumber}`, ({ client }) =>
    client.api.v2010.accounts(accountSid).incomingPhoneNumbers.list({ phoneNumber, limit: 1 }),
  );
  if (matches.length === 0) throw new Error(notOwnedMessage(phoneNumber, accountSid));
  return { sid: matches[0].sid, e164: matches[0].phoneNumber };
}

const trunkPhoneNumber = defineTwilioResource<TrunkPhoneNumberInputs, TrunkPhoneNumberComputed>({
  type: "TrunkPhoneNumber",
  kind: "Twilio trunk phone number",
  fields: { trunkSid: "replaces", phoneNumber: "replaces" },
  computed: ["phoneNumberSid", "e164"],
  describe: (props) => `${props.phoneNumber ?? props.phoneNumberSid ?? "?"}`,
  check: (news) => propertyProblems({ phoneNumber: phoneNumberProblem(news.phoneNumber ?? "") }),
  async create(ctx, inputs) {
    const number = await resolvePhoneNumber(ctx, inputs.phoneNumber);
    await twilioCall(ctx, `attach ${inputs.phoneNumber} to trunk ${inputs.trunkSid}`, ({ client }) =>
      client.trunking.v1.trunks(inputs.trunkSid).phoneNumbers.create({ phoneNumberSid: number.sid }),
    );
    return { id: number.sid, computed: { phoneNumberSid: number.sid, e164: number.e164 } };
  },
  async read(ctx, id, props) {
    const attached = await twilioCall(ctx, `fetch phone number ${id} on trunk ${props.trunkSid}`, ({ client }) =>
      client.trunking.v1.trunks(props.trunkSid).phoneNumbers(id).fetch(),
    );
    return { trunkSid: attached.trunkSid, phoneNumberSid: attached.sid, e164: attached.phoneNumber };
  },
  async delete(ctx, id, props) {
    await twilioCall(ctx, `detach phone number ${id} from trunk ${props.trunkSid}`, ({ client }) =>
      client.trunking.v1.trunks(props.trunkSid).phoneNumbers(id).remove(),
    );
  },
});

/** Dynamic provider for {@link TrunkPhoneNumber}. */
export const trunkPhoneNumberProvider = trunkPhoneNumber.provider;
/** Attaches a phone number the account owns to a trunk. */
export const TrunkPhoneNumber = trunkPhoneNumber.Resource;
