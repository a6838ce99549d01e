/**
 * Call-setup latency, through the worker and by a direct CreateSIPParticipant on the same trunk,
 * interleaved one call at a time so both see the same machine.
 */
import type { BenchStack } from "./bench-stack";
import { BENCH_AGENT_NAME } from "./bench-stack";
import { firstInviteAt } from "./carrier-log";
import { benchNumber } from "./phone-numbers";
import { type SetupSample, directSetupSample, workerSetupSample } from "./setup-sample";
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
  failures: FailedSetupCall[];
}

// Failed calls tolerated (and replaced) before the run gives up: the stack itself misbehaving.
const MAX_FAILURES = 5;

const CALL_TIMEOUT_MS = 30_000;

/** One call through the worker: room, dispatch, until the worker logs the call's end. */
async function workerCall(stack: BenchStack, index: number): Promise<SetupSample> {
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
  await waitFor(`the end of ${callId}`, () => workerCallEnd(stack.worker.lines(), callId), watched, CALL_TIMEOUT_MS);
  return workerSetupSample(start, moments, inviteAt);
}

/** One direct CreateSIPParticipant call, waiting until answered; the carrier hangs up after 1 s. */
async function directCall(stack: BenchStack, index: number): Promise<SetupSample> {
  const number = benchNumber("direct", index);
  const room = `bench-setup-d-${index}`;
  const start = nowMs();
  await stack.sipApi.createSipParticipant(stack.trunkId, number, room, {
    participantIdentity: `sip-setup-d-${index}`,
    waitUntilAnswered: true,
  });
  const answeredAt = nowMs();
  const inviteAt = await waitFor(
    `the carrier's INVITE to ${number}`,
    () => firstInviteAt(stack.carrier.messages(), number),
    [stack.carrier.process],
    5_000,
  );
  // The carrier holds the call 1 s; deleting the room then ends it on LiveKit's side too.
  await sleep(1_200);
  await stack.rooms.deleteRoom(room);
  return directSetupSample(start, inviteAt, answeredAt);
}

/**
 * Runs `warmup` then `calls` calls of each path, alternating worker and direct, one at a time,
 * `gapMs` apart. A call that is not answered is recorded and replaced by another; after
 * {@link MAX_FAILURES} such calls the run stops with the logs.
 */
export async function runCallSetup(stack: BenchStack, options: CallSetupOptions, progress: (line: string) => void): Promise<CallSetupResult> {
  const result: CallSetupResult = { worker: [], direct: [], failures: [] };
  const attempt = async (path: FailedSetupCall["path"], index: number, call: () => Promise<SetupSample>) => {
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
    if (worker && counted) result.worker.push(worker);
    const direct = !counted || result.direct.length < options.calls ? await attempt("direct", i, () => directCall(stack, i)) : undefined;
    if (direct && counted) result.direct.push(direct);
    const answered = (sample: SetupSample | undefined) => (sample ? `${sample.toAnsweredMs.toFixed(0)} ms` : "-");
    progress(
      `  ${counted ? `measured ${result.worker.length}/${options.calls}` : "warm-up"}: ` +
        `worker ${answered(worker)}, direct ${answered(direct)} to answered`,
    );
  }
  return result;
}
