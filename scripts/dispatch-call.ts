/**
 * Places a test call the way a backend does: creates a room, dispatches the agent worker into it
 * with `{phone_number, call_id}` metadata, and prints what happens until the call's outcome (and,
 * when answered, its end). Exits 0 when the callee answered, 1 when not, 2 on a usage error.
 *
 *   npm run call -- +15551234567 --stack prod
 *   LIVEKIT_API_SECRET=... npm run call -- +15551234567 --url https://voice.example.com --key APIxxx
 */
import "./dispatch/rtc-log-level";
import * as path from "node:path";
import { dispose } from "@livekit/rtc-node";
import { describeProgress, describeSummary, exitCodeOf } from "./dispatch/call-progress";
import { type CallTarget, type DispatchFlags, dispatchUsage, parseDispatchFlags } from "./dispatch/dispatch-flags";
import { placeCall } from "./dispatch/place-call";
import { completeTarget, readStackTarget } from "./dispatch/stack-target";
import { pulumiCli } from "./pulumi-cli";

async function main(): Promise<number> {
  let flags: DispatchFlags;
  try {
    flags = parseDispatchFlags(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${dispatchUsage}`);
    return 2;
  }
  if (flags.help) {
    console.log(dispatchUsage);
    return 0;
  }
  for (const warning of flags.warnings) console.error(`warning: ${warning}`);

  let target: CallTarget;
  try {
    const fromStack = flags.stack === undefined ? {} : await readStackTarget(pulumiCli({ cwd: path.join(__dirname, "..") }), flags.stack);
    target = completeTarget(fromStack, flags.target);
  } catch (error) {
    console.error(`Cannot place the call${flags.stack ? ` with stack "${flags.stack}"` : ""}: ${(error as Error).message}`);
    return 2;
  }

  const { request } = flags;
  console.log(`Dispatching agent "${target.agentName}" at ${target.apiUrl} to call ${request.phoneNumber} (call_id ${request.callId})`);
  const summary = await placeCall(target, request, (progress) => console.log(`  ${describeProgress(progress, request.phoneNumber)}`));
  console.log(describeSummary(summary, target.agentName));
  if (flags.json) console.log(JSON.stringify(summary));
  return exitCodeOf(summary);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  })
  // The WebRTC bindings keep native handles open; release them so the process can exit.
  .then(async (code) => {
    await dispose();
    process.exit(code);
  });
