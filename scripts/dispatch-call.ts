/**
 * Places a test call the way a backend does: creates a room, dispatches the agent worker into it
 * with `{phone_number, call_id}` metadata, and prints what happens until the call's outcome (and,
 * when answered, its end). With --inbound, calls into the stack as a carrier would instead (through
 * Twilio, or straight to livekit-sip with sipp) and follows the room the dispatch rule makes.
 * Exits 0 when the call was answered, 1 when not, 2 on a usage error.
 *
 *   npm run call -- +15551234567 --stack prod
 *   LIVEKIT_API_SECRET=... npm run call -- +15551234567 --url https://voice.example.com --key APIxxx
 *   npm run call -- --inbound +15550100001 --from +15551234567 --stack prod
 */
import "./dispatch/rtc-log-level";
import * as path from "node:path";
import { dispose } from "@livekit/rtc-node";
import { describeProgress, describeSummary, exitCodeOf } from "./dispatch/call-progress";
import { sipLeg, twilioLeg } from "./dispatch/caller-legs";
import { type CallTarget, dispatchUsage, type InboundRequest, parseDispatchFlags } from "./dispatch/dispatch-flags";
import { placeCall } from "./dispatch/place-call";
import { type CallerLeg, receiveCall } from "./dispatch/receive-call";
import { completeTarget, readStackTarget } from "./dispatch/stack-target";
import { readTwilioLogin, twilioCalls } from "./dispatch/twilio-caller";
import { readFlags } from "./cli-args";
import { type PulumiCli, pulumiCli } from "./pulumi-cli";

async function main(): Promise<number> {
  const read = readFlags(() => parseDispatchFlags(process.argv.slice(2), process.env), dispatchUsage);
  if ("exitCode" in read) return read.exitCode;
  const { flags } = read;
  for (const warning of flags.warnings) console.error(`warning: ${warning}`);

  let target: CallTarget;
  const cli = flags.stack === undefined ? undefined : pulumiCli({ cwd: path.join(__dirname, "..") });
  let startLeg: (() => Promise<CallerLeg>) | undefined;
  try {
    const fromStack = cli === undefined || flags.stack === undefined ? {} : await readStackTarget(cli, flags.stack);
    target = completeTarget(fromStack, flags.target);
    if (flags.inbound) startLeg = await callerLeg(flags.inbound, cli, flags.stack);
  } catch (error) {
    console.error(`Cannot place the call${flags.stack ? ` with stack "${flags.stack}"` : ""}: ${(error as Error).message}`);
    return 2;
  }

  if (flags.inbound && startLeg) {
    const inbound = flags.inbound;
    console.log(`Calling the stack's number ${inbound.to} from ${inbound.from}; following the call at ${target.apiUrl} (agent "${target.agentName}")`);
    const summary = await receiveCall(target, inbound, startLeg, (progress) => console.log(`  ${describeProgress(progress, inbound.to, true)}`));
    console.log(describeSummary(summary, target.agentName));
    if (flags.json) console.log(JSON.stringify(summary));
    return exitCodeOf(summary);
  }

  const { request } = flags;
  console.log(`Dispatching agent "${target.agentName}" at ${target.apiUrl} to call ${request.phoneNumber} (call_id ${request.callId})`);
  const summary = await placeCall(target, request, (progress) => console.log(`  ${describeProgress(progress, request.phoneNumber)}`));
  console.log(describeSummary(summary, target.agentName));
  if (flags.json) console.log(JSON.stringify(summary));
  return exitCodeOf(summary);
}

/** How the call into the stack is sent: sipp straight to livekit-sip, or Twilio's Calls API (its login read now, so a missing one is a usage error). */
async function callerLeg(inbound: InboundRequest, cli: PulumiCli | undefined, stack: string | undefined): Promise<() => Promise<CallerLeg>> {
  const { route, ...call } = inbound;
  if (route.kind === "sip") return () => sipLeg({ ...call, address: route.address, source: route.source });
  const calls = twilioCalls(await readTwilioLogin(route, cli, stack), route.apiBaseUrl);
  return () => twilioLeg(calls, call);
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
