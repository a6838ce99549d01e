import { z } from "zod";

/** What an E.164 number looks like, for error messages. */
export const E164_EXPECTATION =
  'an E.164 phone number such as "+14155550123" ("+", country code and subscriber number, at most 15 digits, no spaces)';

/**
 * An E.164 phone number: "+", a country code that does not start with 0, and at most 15 digits
 * in all (ITU-T E.164). LiveKit SIP dials exactly this string, so no other format is accepted.
 */
export const e164PhoneNumber = z.string().regex(/^\+[1-9]\d{1,14}$/);
