import { HELD_SHARE, UNSATURATED_SHARE, costLevel, countShares, heldLevel } from "../../../bench/capacity-result";
import { type CapacityCallObservation, averageConcurrency, judgeCapacityCall } from "../../../bench/call-verdict";
import { MAX_CALLS_PER_KIND, benchNumber } from "../../../bench/phone-numbers";
import { WORKER_PHASES, directSetupSample, workerSetupSample } from "../../../bench/setup-sample";
import { lineTime, workerCallEnd, workerCallMoments } from "../../../bench/worker-log";
import type { WorkerLogLine } from "../../harness/worker";

const at = (iso: string) => Date.parse(iso);

// The worker's own JSON lines (ISO time) interleaved with LiveKit Agents' pino lines (numeric time).
const lines: WorkerLogLine[] = [
  { level: 30, time: at("2026-11-24T12:00:00.200Z"), msg: "received job request", jobId: "AJ_1" },
  { time: "2026-11-24T12:00:00.230Z", level: "info", event: "call.dialing", job_id: "AJ_1", call_id: "c1" },
  { time: "2026-11-24T12:00:00.400Z", level: "info", event: "call.outcome", job_id: "AJ_1", call_id: "c1", outcome: "answered" },
  {
    time: "2026-11-24T12:00:21.400Z",
    level: "info",
    event: "call.ended",
    job_id: "AJ_1",
    call_id: "c1",
    reason: "callee_hung_up",
    duration_seconds: 20.9,
    audio_frames_audible: 48,
  },
  { time: "2026-11-24T12:00:01.000Z", level: "info", event: "call.dialing", job_id: "AJ_2", call_id: "c2" },
];

describe("the worker's log of a call", () => {
  it("reads ISO and numeric times", () => {
    expect(lineTime(lines[0])).toBe(at("2026-11-24T12:00:00.200Z"));
    expect(lineTime(lines[1])).toBe(at("2026-11-24T12:00:00.230Z"));
    expect(() => lineTime({ msg: "no time" })).toThrow("worker log line has no readable time");
  });

  it("gives the job's arrival, the dial and the outcome once the outcome is logged", () => {
    expect(workerCallMoments(lines, "c1")).toEqual({
      jobReceived: at("2026-11-24T12:00:00.200Z"),
      dialing: at("2026-11-24T12:00:00.230Z"),
      outcome: at("2026-11-24T12:00:00.400Z"),
      outcomeName: "answered",
    });
    expect(workerCallMoments(lines, "c2")).toBeUndefined();
  });

  it("says so when the job's arrival line is missing", () => {
    expect(() => workerCallMoments(lines.slice(1), "c1")).toThrow('no "received job request" for job AJ_1');
  });

  it("gives how the call ended", () => {
    expect(workerCallEnd(lines, "c1")).toEqual({ reason: "callee_hung_up", durationSeconds: 20.9, audibleFrames: 48 });
    expect(workerCallEnd(lines, "c2")).toBeUndefined();
  });
});

describe("setup samples", () => {
  it("splits a worker call into LiveKit's dispatch, the worker's share, the dial and the answer; the phases add up", () => {
    const start = at("2026-11-24T12:00:00.000Z");
    const moments = workerCallMoments(lines, "c1");
    const sample = workerSetupSample(start, moments!, at("2026-11-24T12:00:00.300Z"));
    expect(sample.toInviteMs).toBe(300);
    expect(sample.toAnsweredMs).toBe(400);
    expect(Object.keys(sample.phases)).toEqual([...WORKER_PHASES]);
    expect(Object.values(sample.phases)).toEqual([200, 30, 70, 100]);
    expect(Object.values(sample.phases).reduce((a, b) => a + b)).toBe(sample.toAnsweredMs);
  });

  it("splits a direct call at the INVITE", () => {
    expect(directSetupSample(1_000, 1_030, 1_080)).toEqual({
      toInviteMs: 30,
      toAnsweredMs: 80,
      phases: { "API call → INVITE": 30, "INVITE → answered": 50 },
    });
  });
});

describe("judging a capacity call", () => {
  const limits = { holdMs: 20_000, answerTimeoutMs: 15_000, toleranceMs: 1_500 };
  const held: CapacityCallObservation = {
    outcome: "answered",
    setupMs: 700,
    elapsedMs: 22_000,
    end: { reason: "callee_hung_up", durationSeconds: 19.6, audibleFrames: 40 },
    hangupBy: "carrier",
  };

  it("passes a call answered in time, held for the carrier's whole hold, with audio, ended by the carrier", () => {
    expect(judgeCapacityCall(held, limits)).toEqual({ state: "ok" });
  });

  it("waits while the call is ringing or up", () => {
    expect(judgeCapacityCall({ elapsedMs: 2_000 }, limits)).toEqual({ state: "pending" });
    expect(judgeCapacityCall({ outcome: "answered", setupMs: 700, elapsedMs: 10_000 }, limits)).toEqual({ state: "pending" });
  });

  it("fails each way a call can go wrong, saying how", () => {
    const verdict = (call: Partial<CapacityCallObservation>) => judgeCapacityCall({ ...held, ...call }, limits);
    expect(verdict({ outcome: undefined, elapsedMs: 15_001 })).toEqual({ state: "failed", reason: "not answered within 15 s of dispatch" });
    expect(verdict({ outcome: "failed" })).toEqual({ state: "failed", reason: "outcome failed" });
    expect(verdict({ setupMs: 16_000 })).toEqual({ state: "failed", reason: "answered only 16.0 s after dispatch" });
    expect(verdict({ hangupBy: "livekit-sip", end: undefined })).toEqual({
      state: "failed",
      reason: "livekit-sip hung up before the carrier did (media timeout or dropped call)",
    });
    expect(verdict({ end: { reason: "voice_failed", durationSeconds: 19.9, audibleFrames: 3 } })).toEqual({ state: "failed", reason: "ended with voice_failed" });
    expect(verdict({ end: { reason: "callee_hung_up", durationSeconds: 12.25, audibleFrames: 3 } })).toEqual({ state: "failed", reason: "held 12.3 s of 20 s" });
    expect(verdict({ end: { reason: "callee_hung_up", durationSeconds: 19.9, audibleFrames: 0 } })).toEqual({
      state: "failed",
      reason: "no audible audio reached the worker",
    });
  });
});

describe("averageConcurrency", () => {
  it("is the time-weighted number of calls up in the window", () => {
    const calls = [
      { from: 0, to: 10_000 }, // up the whole window
      { from: 5_000, to: 7_500 }, // half of it
      { from: 20_000, to: 30_000 }, // after it
    ];
    expect(averageConcurrency(calls, 5_000, 10_000)).toBeCloseTo(1.5);
    expect(() => averageConcurrency(calls, 5_000, 5_000)).toThrow("the window must end after it starts");
  });
});

describe("benchNumber", () => {
  it("gives each call of a kind its own E.164 number; capacity calls carry the prefix the carrier holds longer", () => {
    expect(benchNumber("direct", 7)).toBe("+15550130007");
    expect(benchNumber("worker", 12)).toBe("+15550140012");
    expect(benchNumber("capacity", 0)).toBe("+15550120000");
    expect(() => benchNumber("worker", MAX_CALLS_PER_KIND)).toThrow("call index 10000 is out of range");
  });
});

describe("heldLevel and costLevel", () => {
  const usage = { cpuCores: 0, rssMb: 0, pssMb: 0 };
  const level = (target: number, concurrency: number, failed = 0, machineCores = 0) => ({
    target,
    concurrency,
    calls: target,
    failures: Array.from({ length: failed }, (_, i) => ({ callId: `cap-${i}`, reason: "outcome failed" })),
    usage: { "livekit-sip": usage, "livekit-server": usage, worker: usage },
    usageByNode: [{ "livekit-sip": usage, "livekit-server": usage, worker: usage }],
    machineCores,
  });

  it("is the last level before the first with a failed call or less than 90 % of its target up", () => {
    expect(HELD_SHARE).toBe(0.9);
    expect(heldLevel([level(2, 2), level(4, 3.9), level(6, 5.9), level(8, 8, 1)])?.target).toBe(6);
    expect(heldLevel([level(2, 2), level(4, 3.5), level(6, 6)])?.target).toBe(2);
    expect(heldLevel([level(2, 2), level(4, 4)])?.target).toBe(4);
    expect(heldLevel([level(2, 1)])).toBeUndefined();
  });

  it("reads the cost per call at the highest level held with the machine below 90 % of its cores, else at the level held", () => {
    expect(UNSATURATED_SHARE).toBe(0.9);
    const levels = [level(2, 2, 0, 0.5), level(4, 4, 0, 1.7), level(6, 5.8, 0, 1.95), level(8, 7, 0, 2)];
    const held = heldLevel(levels);
    expect(held?.target).toBe(6);
    // 1.7 of 2 cores is below 1.8: the 4-call level; the 6-call one, held, kept 1.95 busy.
    expect(costLevel({ levels, held }, 2)).toEqual({ level: levels[1], isHeld: false });
    expect(costLevel({ levels, held }, 4)).toEqual({ level: levels[2], isHeld: true });
    const allBusy = [level(2, 2, 0, 1.9)];
    expect(costLevel({ levels: allBusy, held: heldLevel(allBusy) }, 2)).toEqual({ level: allBusy[0], isHeld: true });
    expect(costLevel({ levels: [level(2, 1)], held: undefined }, 2)).toBeUndefined();
  });
});

describe("countShares", () => {
  it("counts each node's calls and leaves out the calls no node is known for", () => {
    expect(countShares(["node-a", "node-b", undefined, "node-a"])).toEqual({ "node-a": 2, "node-b": 1 });
    expect(countShares([undefined])).toEqual({});
  });
});
