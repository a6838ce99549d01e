import { randomInt } from "node:crypto";

/** Length of generated SIP passwords: far above Twilio's minimum of 12, well under its 255. */
export const generatedPasswordLength = 32;

// Letters and digits only: nothing a shell, YAML or a SIP digest header would need to escape.
const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const lower = "abcdefghijklmnopqrstuvwxyz";
const digits = "0123456789";
const alphabet = upper + lower + digits;

/** Picks an integer in [0, max); the default draws from the OS's CSPRNG. */
export type RandomInt = (max: number) => number;

/**
 * A fresh SIP password meeting Twilio's rules (providers/twilio/rules.ts): one
 * upper-case letter, one lower-case letter and one digit guaranteed, the rest drawn from all
 * three, then shuffled so the guaranteed characters sit at random positions.
 */
export function generateSipPassword(random: RandomInt = (max) => randomInt(max)): string {
  const pick = (from: string) => from[random(from.length)];
  const chars = [pick(upper), pick(lower), pick(digits)];
  while (chars.length < generatedPasswordLength) chars.push(pick(alphabet));
  // Fisher-Yates shuffle.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}
