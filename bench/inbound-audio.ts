/**
 * Inbound first audio: calls sent into the stack as Twilio's origination sends them (sipp from the
 * carrier's address to livekit-sip, through the inbound trunk and dispatch rule), from the INVITE to
 * the first audible agent audio at the caller's RTP endpoint. Through the worker (the project's
 * dispatch rule: a room per call, the agent dispatched into it) against the floor (a trunk whose
 * direct dispatch rule sends calls into a room where a participant already publishes a tone),
 * interleaved one call at a time.
 */
import { startSipCall } from "../scripts/dispatch/sip-caller";
import { carrierSignalingAddress, stackNumber } from "../test/harness/call-stack";
import { systemBinaries } from "../test/harness/binaries";
import { type BenchStack, INBOUND_FLOOR_NUMBER, INBOUND_FLOOR_ROOM } from "./bench-stack";
import { firstInviteSentAt } from "./carrier-log";
import { benchNumber } from "./phone-numbers";
import { startTonePublisher } from "./tone-publisher";
import { sleep } from "./wait-for";

/** How the inbound run is shaped. */
export interface InboundAudioOptions {
  /** Measured calls per path. */
  calls: number;
  /** Calls per path made first and not counted. */
  warmup: number;
  /** Pause after each call, ms. */
  gapMs: number;
}

/** A call that got no answer or no audible audio, which the samples leave out. */
export interface FailedInboundCall {
  path: "worker" | "floor";
  index: number;
  error: string;
}

/** Each measured call's time from the INVITE to the first audible agent audio at the caller, ms, per path. */
export interface InboundAudioResult {
  worker: number[];
  floor: number[];
  failures: FailedInboundCall[];
}

// The caller stays on this long once answered: the agent's first audio comes well within it.
const HOLD_SECONDS = 2;
// Seconds the caller waits for any SIP message (the worker's answer included).
const TIMEOUT_SECONDS = 15;
const MAX_FAILURES = 5;

/** One call in to `to`; resolves with INVITE → first audible audio, ms. */
async function callIn(stack: BenchStack, to: string, index: number): Promise<number> {
  const call = await startSipCall({
    address: `127.0.0.1:${stack.sip.sipPort}`,
    source: carrierSignalingAddress,
    from: benchNumber("caller", index),
    to,
    holdSeconds: HOLD_SECONDS,
    timeoutSeconds: TIMEOUT_SECONDS,
    sipp: systemBinaries.sipp,
  });
  try {
    const report = await call.ended;
    if (report.finalResponse?.code !== 200) {
      throw new Error(`the call to ${to} got ${report.finalResponse ? `${report.finalResponse.code} ${report.finalResponse.reason}` : "no final response"}, not 200 OK`);
    }
    const inviteAt = firstInviteSentAt(report.messages);
    if (inviteAt === undefined) throw new Error(`the caller's log of the call to ${to} holds no INVITE`);
    const audioAt = report.audio.firstAudibleAtMs;
    if (audioAt === undefined) throw new Error(`the caller heard no audible audio in the ${HOLD_SECONDS} s after the answer to ${to}`);
    return audioAt - inviteAt;
  } finally {
    await call.stop();
  }
}

/** Runs `warmup` then `calls` calls of each path, alternating worker and floor, `gapMs` apart. */
export async function runInboundAudio(stack: BenchStack, options: InboundAudioOptions, progress: (line: string) => void): Promise<InboundAudioResult> {
  const result: InboundAudioResult = { worker: [], floor: [], failures: [] };
  const publisher = await startTonePublisher(stack.livekit, INBOUND_FLOOR_ROOM, "tone-inbound-floor");
  try {
    const attempt = async (path: FailedInboundCall["path"], index: number, to: string) => {
      try {
        return await callIn(stack, to, index);
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).split("\n")[0];
        result.failures.push({ path, index, error: message });
        progress(`  inbound ${path} call ${index} failed: ${message}`);
        if (result.failures.length > MAX_FAILURES) {
          throw new Error(`${result.failures.length} inbound calls failed; the last: ${message}\n${stack.logs(60)}`);
        }
        return undefined;
      } finally {
        await sleep(options.gapMs);
      }
    };
    for (let i = 0; result.worker.length < options.calls || result.floor.length < options.calls; i++) {
      const counted = i >= options.warmup;
      const worker = !counted || result.worker.length < options.calls ? await attempt("worker", i, stackNumber) : undefined;
      if (worker !== undefined && counted) result.worker.push(worker);
      const floor = !counted || result.floor.length < options.calls ? await attempt("floor", i, INBOUND_FLOOR_NUMBER) : undefined;
      if (floor !== undefined && counted) result.floor.push(floor);
      const shown = (value: number | undefined) => (value === undefined ? "-" : `${value.toFixed(0)} ms`);
      progress(`  ${counted ? `measured ${result.worker.length}/${options.calls}` : "warm-up"}: INVITE → audio worker ${shown(worker)}, floor ${shown(floor)}`);
    }
  } finally {
    await publisher.stop();
  }
  return result;
}
