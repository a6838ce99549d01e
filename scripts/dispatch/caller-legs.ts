import type { CallerReport } from "./call-progress";
import type { CallerLeg } from "./receive-call";
import { startSipCall } from "./sip-caller";
import { type TwilioCalls, twilioCallRequest } from "./twilio-caller";

/** The sipp caller as a {@link CallerLeg}: straight to livekit-sip's SIP address from `source`. */
export async function sipLeg(options: { address: string; source: string; from: string; to: string; holdSeconds: number; timeoutSeconds: number }): Promise<CallerLeg> {
  const call = await startSipCall(options);
  return {
    via: `with sipp to ${options.address} from ${options.from} (${options.source})`,
    ended: call.ended.then(
      (report): CallerReport => ({
        ...(report.finalResponse ? { sipStatus: report.finalResponse } : {}),
        ringing: report.ringing,
        audio: report.audio,
      }),
    ),
    stop: () => call.stop(),
  };
}

// Twilio's call statuses once a call is over.
const FINAL_TWILIO_STATUSES = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);
const TWILIO_POLL_MS = 2_000;

/**
 * Twilio's call as a {@link CallerLeg}: Twilio calls the stack's number from `from`, holds the line
 * `holdSeconds` once answered, hangs up. Its end is Twilio's call reaching a final status, polled
 * until `timeoutSeconds` plus the hold have passed.
 */
export async function twilioLeg(calls: TwilioCalls, options: { from: string; to: string; holdSeconds: number; timeoutSeconds: number }): Promise<CallerLeg> {
  const call = await calls.create(twilioCallRequest(options.to, options.from, options.holdSeconds, options.timeoutSeconds));
  let stopped = false;
  const ended = (async (): Promise<CallerReport> => {
    const deadline = Date.now() + (options.timeoutSeconds + options.holdSeconds) * 1000;
    let status = call.status;
    while (!FINAL_TWILIO_STATUSES.has(status) && !stopped && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, TWILIO_POLL_MS));
      status = (await calls.fetch(call.sid)).status;
    }
    return { twilioCallSid: call.sid, twilioStatus: status };
  })();
  return {
    via: `through Twilio from ${options.from} (call ${call.sid})`,
    ended,
    stop: async () => {
      stopped = true;
      await ended.catch(() => undefined);
    },
  };
}
