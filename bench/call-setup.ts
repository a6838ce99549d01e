/**
 * Call-setup latency, through the worker and by a direct CreateSIPParticipant on the same trunk,
 * interleaved one call at a time so both see the same machine; and for each call, the time from
 * the callee's answer to the first agent audio reaching the carrier (the direct path's agent is a
 * participant already in the room publishing a tone: the floor).
 */
import type { BenchStack } from "./bench-stack";
import { BENCH_AGENT_NAME } from "./bench-stack";
import { answeredAt, firstInviteAt, offeredRtpPort } from "./carrier-log";
import { benchNumber } from "./phone-numbers";
import { type SetupSample, directSetupSample, workerSetupSample } from "./setup-sample";
import { startTonePublisher } from "./tone-publisher";
import { nowMs, sleep, waitFor } from "./wait-for";
import { workerCallEnd, workerCallMoments } from "./worker-log";

/** How the call-setup run is shaped. */
export interface CallSetupOptions {
  /** Measured calls per path. */
  calls: number;
  /** Calls per path made first and not counted (first-use costs of a fresh stack). */
  warmup: number;
  /**
   * Pause after each call, ms: calls arrive one at a time, and the worker's pool of idle job
   * processes refills between them, as with calls arriving at a steady low rate.
   */
  gapMs: number;
}

/** A call that was not answered, which the samples leave out. */
export interface FailedSetupCall {
  path: "worker" | "direct";
  /** The call's index in the run. */
  index: number;
  /** What went wrong (first line). */
  error: string;
}

/** The measured samples of each path, and the calls that failed. */
export interface CallSetupResult {
  worker: SetupSample[];
  direct: SetupSample[];
  /** Each measured call's time from the carrier's 200 OK to the first audible agent RTP packet at the carrier, ms. */
  answerToAudio: { worker: number[]; direct: number[] };
  failures: FailedSetupCall[];
}

/** A call's setup sample and its answer-to-first-audio time. */
interface MeasuredCall {
  sample: SetupSample;
  answerToAudioMs: number;
}

// Failed calls tolerated (and replaced) before the run gives up: the stack itself misbehaving.
const MAX_FAILURES = 5;

const CALL_TIMEOUT_MS = 30_000;
// The carrier holds call-setup calls 2 s: the agent's first audio comes well within that or not at all.
const FIRST_AUDIO_TIMEOUT_MS = 2_000;
const CARRIER_HOLD_MS = 2_000;

/** Waits for the first audible agent audio at the carrier after its answer to `number`; returns answer → audio, ms. */
async function answerToFirstAudio(stack: BenchStack, number: string): Promise<number> {
  const messages = stack.carrier.messages();
  const answer = answeredAt(messages, number);
  const port = offeredRtpPort(messages, number);
  if (answer === undefined || port === undefined) {
    throw new Error(`the carrier's log lacks the 200 OK to ${number} or livekit-sip's SDP offer, although the call was answered`);
  }
  const audioAt = await waitFor(
    `the first audible agent audio of the call to ${number} at the carrier`,
    () => stack.media.streams.firstAudibleSince(port, answer),
    [stack.carrier.process, stack.sip.process],
    FIRST_AUDIO_TIMEOUT_MS,
  );
  return audioAt - answer;
}

/** One call through the worker: room, dispatch, until the worker logs the call's end. */
async function workerCall(stack: BenchStack, index: number): Promise<MeasuredCall> {
  const number = benchNumber("worker", index);
  const callId = `setup-w-${index}`;
  const room = `bench-${callId}`;
  const watched = [stack.worker.process, stack.carrier.process, stack.sip.process];
  await stack.rooms.createRoom({ name: room });
  const start = nowMs();
  await stack.dispatch.createDispatch(room, BENCH_AGENT_NAME, {
    metadata: JSON.stringify({ phone_number: number, call_id: callId }),
  });
  const moments = await waitFor(`the worker's outcome of ${callId}`, () => workerCallMoments(stack.worker.lines(), callId), watched, CALL_TIMEOUT_MS);
  if (moments.outcomeName !== "answered") {
    throw new Error(`call ${callId} through the worker was ${moments.outcomeName}, not answered\n${stack.logs(60)}`);
  }
  const inviteAt = firstInviteAt(stack.carrier.messages(), number);
  if (inviteAt === undefined) {
    throw new Error(`the carrier never logged an INVITE to ${number} although the worker reports the call answered`);
  }
  const answerToAudioMs = await answerToFirstAudio(stack, number);
  await waitFor(`the end of ${callId}`, () => workerCallEnd(stack.worker.lines(), callId), watched, CALL_TIMEOUT_MS);
  return { sample: workerSetupSample(start, moments, inviteAt), answerToAudioMs };
}

/**
 * One direct CreateSIPParticipant call, waiting until answered, into a room where a participant
 * already publishes a tone; the carrier hangs up after its hold.
 */
async function directCall(stack: BenchStack, index: number): Promise<MeasuredCall> {
  const number = benchNumber("direct", index);
  const room = `bench-setup-d-${index}`;
  const publisher = await startTonePublisher(stack.livekit, room, `tone-setup-d-${index}`);
  try {
    const start = nowMs();
    await stack.sipApi.createSipParticipant(stack.trunkId, number, room, {
      participantIdentity: `sip-setup-d-${index}`,
      waitUntilAnswered: true,
    });
    const answeredAtMs = nowMs();
    const inviteAt = await waitFor(
      `the carrier's INVITE to ${number}`,
      () => firstInviteAt(stack.carrier.messages(), number),
      [stack.carrier.process],
      5_000,
    );
    const answerToAudioMs = await answerToFirstAudio(stack, number);
    // Deleting the room once the carrier has hung up ends the call on LiveKit's side too.
    await sleep(CARRIER_HOLD_MS + 200 - (nowMs() - answeredAtMs));
    return { sample: directSetupSample(start, inviteAt, answeredAtMs), answerToAudioMs };
  } finally {
    await publisher.stop();
    await stack.rooms.deleteRoom(room).catch(() => undefined);
  }
}

/**
 * Runs `warmup` then `calls` calls of each path, alternating worker and direct, one at a time,
 * `gapMs` apart. A call that is not answered is recorded and replaced by another; after
 * {@link MAX_FAILURES} such calls the run stops with the logs.
 */
export async function runCallSetup(stack: BenchStack, options: CallSetupOptions, progress: (line: string) => void): Promise<CallSetupResult> {
  const result: CallSetupResult = { worker: [], direct: [], answerToAudio: { worker: [], direct: [] }, failures: [] };
  const attempt = async (path: FailedSetupCall["path"], index: number, call: () => Promise<MeasuredCall>) => {
    try {
      return await call();
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split("\n")[0];
      result.failures.push({ path, index, error: message });
      progress(`  ${path} call ${index} failed: ${message}`);
      if (result.failures.length > MAX_FAILURES) {
        throw new Error(`${result.failures.length} calls failed during the call-setup run; the last: ${message}\n${stack.logs(60)}`);
      }
      return undefined;
    } finally {
      await sleep(options.gapMs);
    }
  };
  for (let i = 0; result.worker.length < options.calls || result.direct.length < options.calls; i++) {
    const counted = i >= options.warmup;
    const worker = !counted || result.worker.length < options.calls ? await attempt("worker", i, () => workerCall(stack, i)) : undefined;
    if (worker && counted) {
      result.worker.push(worker.sample);
      result.answerToAudio.worker.push(worker.answerToAudioMs);
    }
    const direct = !counted || result.direct.length < options.calls ? await attempt("direct", i, () => directCall(stack, i)) : undefined;
    if (direct && counted) {
      result.direct.push(direct.sample);
      result.answerToAudio.direct.push(direct.answerToAudioMs);
    }
    const answered = (call: MeasuredCall | undefined) => (call ? `${call.sample.toAnsweredMs.toFixed(0)} ms` : "-");
    const audio = (call: MeasuredCall | undefined) => (call ? `${call.answerToAudioMs.toFixed(0)} ms` : "-");
    progress(
      `  ${counted ? `measured ${result.worker.length}/${options.calls}` : "warm-up"}: ` +
        `worker ${answered(worker)}, direct ${answered(direct)} to answered; answer → audio worker ${audio(worker)}, floor ${audio(direct)}`,
    );
  }
  return result;
}
