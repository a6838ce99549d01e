import { sipPasswordShortfalls } from "../../providers/twilio/rules";
import type { PulumiCli } from "../pulumi-cli";
import { findRotationTargets, type RotationTypes } from "./rotation-targets";
import { generateSipPassword } from "./sip-password";
import { nextSipUsername } from "./sip-username";

/** Stack config keys the rotation changes. */
export const sipConfigKeys = {
  username: "agent-studio-voice:sipUsername",
  password: "agent-studio-voice:sipPassword",
} as const;

/** Where the rotation's design and rollback are explained. */
export const runbookPath = "docs/runbooks/rotate-sip-credentials.md";

/** What {@link rotateSipCredentials} needs. */
export interface RotationOptions {
  /** Stack to rotate, e.g. `prod`. */
  stack: string;
  /** Apply without `pulumi up`'s confirmation prompt. */
  yes: boolean;
  /** Type tokens of the Twilio credential and the LiveKit outbound trunk. */
  types: RotationTypes;
  /** Makes the new password. Defaults to {@link generateSipPassword}. */
  newPassword?: () => string;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Rotates a stack's SIP trunk credentials through the Pulumi CLI: a new username slot and a new
 * password (stdin only) in stack config, then `pulumi up` limited to the Twilio credential and
 * the LiveKit outbound trunk. The Twilio credential is replaced create-before-delete, so the old
 * and new credentials are both valid until LiveKit uses the new one (see {@link runbookPath}).
 * `log` receives progress lines; no line ever holds the password.
 */
export async function rotateSipCredentials(cli: PulumiCli, options: RotationOptions, log: (line: string) => void): Promise<void> {
  const { stack } = options;
  const stackArgs = ["--stack", stack];

  const currentUsername = (await cli(["config", "get", sipConfigKeys.username, ...stackArgs])).trim();
  const username = nextSipUsername(currentUsername);
  const password = (options.newPassword ?? generateSipPassword)();
  // The rules live in one place; a generator that falls behind them must stop here, not at Twilio.
  const shortfalls = sipPasswordShortfalls(password);
  if (shortfalls.length > 0) {
    throw new Error(`The generated SIP password lacks ${shortfalls.join(", ")}: bring scripts/rotation/sip-password.ts up to Twilio's rules. Nothing was changed.`);
  }
  const targets = findRotationTargets(await cli(["stack", "export", ...stackArgs]), options.types, stack);

  log(`Rotating the SIP trunk credentials of stack "${stack}": username ${currentUsername} → ${username}, new ${password.length}-character password.`);
  await cli(["config", "set", sipConfigKeys.username, username, ...stackArgs]);
  await cli(["config", "set", "--secret", sipConfigKeys.password, ...stackArgs], { stdin: password });
  log(`Stored in stack config (the password as a secret). Applying to the Twilio credential and the LiveKit outbound trunk only:`);

  const up = ["up", ...stackArgs, "--diff", "--target", targets.twilioCredential, "--target", targets.livekitOutboundTrunk];
  try {
    await cli(options.yes ? [...up, "--yes"] : up, { interactive: true });
  } catch (error) {
    throw new Error(
      `${messageOf(error)}\n\n` +
        `The new credentials are in stack config but were not (fully) applied. Calls keep working: the old Twilio credential is ` +
        `deleted only as the last step of a successful update, after LiveKit's trunk has switched. Finish with \`pulumi up --stack ${stack}\`, or roll back ` +
        `as ${runbookPath} says.`,
    );
  }
  log(`Done: LiveKit's outbound trunk now authenticates as ${username}; the previous Twilio credential (${currentUsername}) is deleted.`);
}
