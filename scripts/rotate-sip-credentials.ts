/**
 * Rotates a stack's SIP trunk credentials (Twilio credential + LiveKit outbound trunk) with no
 * dropped or refused call. Needs the Pulumi CLI, logged in to the stack's backend.
 *
 *   npm run rotate-sip-credentials -- --stack prod [--yes]
 *
 * Design and rollback: docs/runbooks/rotate-sip-credentials.md.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { Credential } from "../providers/twilio/credential";
import { LiveKitSipOutboundTrunk } from "../providers/livekit";
import { pulumiCli } from "./pulumi-cli";
import { rotateSipCredentials } from "./rotation/rotate";

const usage = "usage: npm run rotate-sip-credentials -- --stack <name> [--yes]";

async function main(): Promise<number> {
  let values: { stack?: string; yes?: boolean };
  try {
    ({ values } = parseArgs({ options: { stack: { type: "string" }, yes: { type: "boolean" } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const stack = values.stack;
  if (!stack || stack.startsWith("-")) {
    console.error(usage);
    return 2;
  }
  const cli = pulumiCli({ cwd: path.join(__dirname, "..") });
  const types = { twilioCredential: Credential.typeToken, livekitOutboundTrunk: LiveKitSipOutboundTrunk.typeToken };
  try {
    await rotateSipCredentials(cli, { stack, yes: values.yes === true, types }, (line) => console.log(line));
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

main().then((code) => process.exit(code));
