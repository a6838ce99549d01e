/**
 * Twilio's rules for SIP credential passwords: at least 12 characters with a digit, an upper-case
 * and a lower-case letter (https://www.twilio.com/docs/voice/sip/api/sip-credential-resource).
 * Returns what is missing, or an empty list when the password is acceptable.
 */
export function sipPasswordShortfalls(password: string): string[] {
  const missing: string[] = [];
  if (password.length < 12) missing.push("at least 12 characters");
  if (!/\d/.test(password)) missing.push("a digit");
  if (!/[A-Z]/.test(password)) missing.push("an upper-case letter");
  if (!/[a-z]/.test(password)) missing.push("a lower-case letter");
  return missing;
}
