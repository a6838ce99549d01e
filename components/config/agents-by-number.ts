/**
 * The `agentsByNumber` config key: which agent answers inbound calls to which of the stack's
 * numbers. A map keyed by E.164 number, so a number cannot be mapped twice; a number it does not
 * list reaches `agentName`. Pure: no Pulumi runtime.
 */
import { z } from "zod";
import { agentNameProblem, e164Problem } from "../../providers/livekit/sip-values";
import type { FieldReader, FieldSpec } from "./field-reader";

const key = "agent-studio-voice:agentsByNumber";

/**
 * The command that sets one entry. Under `--path`, `pulumi config set` stores an all-digit value
 * as a number; `--type string` keeps an agent name such as `42` a string. The key is quoted in
 * brackets because Pulumi's path syntax reads `+` and digits only there as one map key.
 */
function agentsByNumberSetArgs(number: string, agentName: string): string {
  return `--path '${key}["${number}"]' --type string ${agentName}`;
}

/** The map as Pulumi hands it over: JSON text of an object, values not yet checked. */
const jsonObject: z.ZodType<Record<string, unknown>, string> = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "not JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.unknown()));

/** How `agentsByNumber` is read; its entries are checked by {@link checkAgentsByNumber}. */
export const agentsByNumberField: FieldSpec<Record<string, unknown>> = {
  key,
  schema: jsonObject,
  expected: "a map from numbers of phoneNumbers (E.164) to the agent_name answering their calls, e.g. {\"+15551234567\": \"sales-agent\"}",
  fix: agentsByNumberSetArgs("+15551234567", "sales-agent"),
  default: {},
};

/**
 * Checks each entry of a parsed `agentsByNumber` and returns the map, or `undefined` after
 * reporting every bad entry: a key that is not one of `phoneNumbers` in E.164 form (a
 * dispatch rule matches the number callers dial, so a number listed by its Twilio SID cannot
 * be routed), or a value that is not a valid agent name string.
 */
export function checkAgentsByNumber(
  r: FieldReader,
  entries: Record<string, unknown>,
  phoneNumbers: readonly string[] | undefined,
): Record<string, string> | undefined {
  const before = r.problems.length;
  for (const [number, agentName] of Object.entries(entries)) {
    const entryKey = `${key}["${number}"]`;
    const example = typeof agentName === "string" && agentNameProblem(agentName) === undefined ? agentName : "sales-agent";
    if (e164Problem(number) !== undefined) {
      r.report(
        {
          key: entryKey,
          expected: `an E.164 number ('+', country code, subscriber number) listed in phoneNumbers; remove this entry with \`pulumi config rm --path '${entryKey}'\``,
          fix: agentsByNumberSetArgs("+15551234567", example),
        },
        JSON.stringify(number),
      );
    } else if (phoneNumbers !== undefined && !phoneNumbers.includes(number)) {
      r.report(
        {
          key: entryKey,
          expected: `one of the stack's phoneNumbers (${phoneNumbers.join(", ")}), listed in E.164 form; add it there, or remove this entry with \`pulumi config rm --path '${entryKey}'\``,
          fix: `--path 'agent-studio-voice:phoneNumbers[${phoneNumbers.length}]' --type string ${number}`,
        },
        JSON.stringify(number),
      );
    }
    if (typeof agentName !== "string") {
      r.report(
        {
          key: entryKey,
          expected: "an agent name as a string (under --path, pulumi config set stores digits as a number and true/false as a boolean: add --type string)",
          fix: agentsByNumberSetArgs(number, agentName === null || typeof agentName === "object" ? "sales-agent" : String(agentName)),
        },
        JSON.stringify(agentName),
      );
    } else if (agentNameProblem(agentName) !== undefined) {
      r.report(
        {
          key: entryKey,
          expected: "the agent_name a worker registers: 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit",
          fix: agentsByNumberSetArgs(number, "sales-agent"),
        },
        JSON.stringify(agentName),
      );
    }
  }
  return r.problems.length === before ? (entries as Record<string, string>) : undefined;
}
