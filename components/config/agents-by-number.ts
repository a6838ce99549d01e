/**
 * The `agentsByNumber` config key: which agent answers inbound calls to which of the stack's
 * numbers. A map keyed by E.164 number, so a number cannot be mapped twice; a number it does not
 * list reaches `agentName`. Pure: no Pulumi runtime.
 */
import { agentNameProblem, e164Problem } from "../../providers/livekit/sip-values";
import type { FieldReader } from "./field-reader";
import { setEntryArgs } from "./fix-commands";

/**
 * Checks each entry of a parsed `agentsByNumber`, reporting every bad entry: a key that is not
 * one of `phoneNumbers` in E.164 form (a dispatch rule matches the number callers dial, so a
 * number listed by its Twilio SID cannot be routed), or a value that is not a valid agent name
 * string.
 */
export function checkAgentsByNumber(
  r: FieldReader,
  keys: { agentsByNumber: string; phoneNumbers: string },
  entries: Record<string, unknown>,
  phoneNumbers: readonly string[] | undefined,
): void {
  const key = keys.agentsByNumber;
  for (const [number, agentName] of Object.entries(entries)) {
    const entryKey = `${key}["${number}"]`;
    const example = typeof agentName === "string" && agentNameProblem(agentName) === undefined ? agentName : "sales-agent";
    if (e164Problem(number) !== undefined) {
      r.report(
        {
          key: entryKey,
          expected: `an E.164 number ('+', country code, subscriber number) listed in phoneNumbers; remove this entry with \`pulumi config rm --path '${entryKey}'\``,
          fix: setEntryArgs(key, "+15551234567", example),
        },
        JSON.stringify(number),
      );
    } else if (phoneNumbers !== undefined && !phoneNumbers.includes(number)) {
      r.report(
        {
          key: entryKey,
          expected: `one of the stack's phoneNumbers (${phoneNumbers.join(", ")}), listed in E.164 form; add it there, or remove this entry with \`pulumi config rm --path '${entryKey}'\``,
          fix: `--path '${keys.phoneNumbers}[${phoneNumbers.length}]' --type string ${number}`,
        },
        JSON.stringify(number),
      );
    }
    if (typeof agentName !== "string") {
      r.report(
        {
          key: entryKey,
          expected: "an agent name as a string (under --path, pulumi config set stores digits as a number and true/false as a boolean: add --type string)",
          fix: setEntryArgs(key, number, agentName === null || typeof agentName === "object" ? "sales-agent" : String(agentName)),
        },
        JSON.stringify(agentName),
      );
    } else if (agentNameProblem(agentName) !== undefined) {
      r.report(
        {
          key: entryKey,
          expected: "the agent_name a worker registers: 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit",
          fix: setEntryArgs(key, number, "sales-agent"),
        },
        JSON.stringify(agentName),
      );
    }
  }
}
