/**
 * A call placed end to end, as production places it: the real livekit-server, livekit-sip and
 * Redis from the project's rendered configs, the real worker process from worker/dist, the
 * project's outbound trunk provider creating the trunk, `npm run call` dispatching the job as the
 * backend would, and sipp as the carrier challenging every INVITE with digest auth.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { AgentDispatchClient, RoomServiceClient } from "livekit-server-sdk";
import { outboundTrunkProvider, type OutboundTrunkInputs } from "../../providers/livekit";
import { answeringNumber, busyNumber, neverAnswers } from "../harness/carrier";
import { type CallStack, carrierPassword, carrierUser, startCallStack } from "../harness/call-stack";
import { waitUntil } from "../harness/wait-until";
import type { AgentWorker } from "../harness/worker";
import { upAgain } from "../integration/livekit/provider-steps";
import { answeredThenHungUp, type DispatchRun, runDispatchCall } from "./dispatch-script";

jest.setTimeout(90_000);

const agentName = "e2e-agent";
const rejectedNumber = "+15550100403";
const ringingTimeoutSeconds = 5;

let stack: CallStack;
let worker: AgentWorker;
let trunk: { id: string; outs: OutboundTrunkInputs };
let rooms: RoomServiceClient;

beforeAll(async () => {
  stack = await startCallStack({ agentName });
  rooms = new RoomServiceClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
  trunk = stack.outboundTrunk;
  worker = await stack.startWorker({ ringingTimeoutSeconds });
}, 180_000);

afterAll(() => stack?.stop());

/** `npm run call -- <number> --url … --key … --agent-name e2e-agent --call-id <id>` against the stack. */
function call(phoneNumber: string, callId: string): Promise<DispatchRun> {
  const { url, apiKey, apiSecret } = stack.livekit;
  return runDispatchCall([phoneNumber, "--url", url, "--key", apiKey, "--agent-name", agentName, "--call-id", callId], apiSecret);
}

/** Waits until the worker has deleted the call's room. */
function roomClosed(room: string): Promise<void> {
  return waitUntil(`room ${room} is deleted`, async () => !(await rooms.listRooms()).some((r) => r.name === room), [worker.process]);
}

/**
 * Places a call the carrier ends with a final SIP refusal: `npm run call` reports `outcome` and
 * exits 1, the worker closes the room, and the carrier saw only the challenged INVITE and its
 * authenticated retry (livekit-sip does not dial again).
 */
async function expectFinalRefusal(
  phoneNumber: string,
  callId: string,
  outcome: { outcome: string; reason: string; sipStatusCode: number; sipStatus: string },
): Promise<void> {
  const run = await call(phoneNumber, callId);
  expect(run.summary.outcome).toEqual(outcome);
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`call not answered: ${outcome.outcome} (${outcome.reason}, SIP ${outcome.sipStatusCode} ${outcome.sipStatus})`);
  await roomClosed(callId);
  expect(stack.carrier.invitesTo(phoneNumber)).toHaveLength(2);
}

describe("an outbound call through the real stack, the real worker and sipp as the carrier", () => {
  it("is answered with the trunk's credentials, the callee's audio reaches the worker, and the carrier's hangup ends the job", () =>
    stack.withLogs(async () => {
      const run = await call(answeringNumber, "answer-1");

      expect(run.summary).toEqual(answeredThenHungUp("answer-1"));
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("SIP participant sip-answer-1 left the room (client_initiated)");
      expect(run.stdout).not.toContain('"name":"lk-rtc"');

      // The carrier challenged the first INVITE and accepted the retry's digest for the trunk's user.
      const invites = stack.carrier.invitesTo(answeringNumber);
      expect(invites).toHaveLength(2);
      expect(invites[0].text).not.toMatch(/^Authorization:/im);
      expect(invites[1].text).toMatch(new RegExp(`^Authorization: Digest username="${carrierUser}"`, "im"));

      const ended = await worker.waitForLine("the answered call's end", (l) => l.event === "call.ended" && l.call_id === "answer-1");
      expect(ended.reason).toBe("callee_hung_up");
      expect(ended.audio_frames_received).toBeGreaterThan(0);
      // Not silence: the carrier played its recorded audio.
      expect(ended.audio_frames_audible).toBeGreaterThan(0);
      await roomClosed("answer-1");
    }));

  it("records the carrier's 403 for a wrong trunk password, and livekit-sip does not retry", () =>
    stack.withLogs(async () => {
      // The operator set a wrong password: the next `pulumi up` updates the trunk in place.
      const wrong = await upAgain(outboundTrunkProvider, trunk.id, trunk.outs, stack.outboundTrunkInputs("Wrong-Passw0rd-e2e"));
      expect(wrong.diff).toMatchObject({ updates: ["authPassword"] });
      try {
        // The retried INVITE carries the wrong digest and gets the final 403.
        await expectFinalRefusal(rejectedNumber, "wrong-password-1", { outcome: "rejected", reason: "forbidden", sipStatusCode: 403, sipStatus: "Forbidden" });
      } finally {
        trunk = { id: trunk.id, outs: (await upAgain(outboundTrunkProvider, trunk.id, wrong.outs, stack.outboundTrunkInputs(carrierPassword))).outs };
      }
    }));

  it("gives up on a callee who never answers after the ringing timeout, with a no-answer outcome, and closes the room", () =>
    stack.withLogs(async () => {
      const run = await call(neverAnswers, "no-answer-1");

      expect(run.summary.outcome).toEqual({ outcome: "no_answer", reason: "ringing_timeout" });
      expect(run.code).toBe(1);
      // The worker's ringing timeout, not livekit-sip's default of 30 s, ended the ringing.
      const outcome = await worker.waitForLine("the no-answer outcome", (l) => l.event === "call.outcome" && l.call_id === "no-answer-1");
      expect(outcome.dial_seconds).toBeGreaterThanOrEqual(ringingTimeoutSeconds - 0.5);
      expect(outcome.dial_seconds).toBeLessThan(20);
      // The carrier only ever rang: livekit-sip cancelled the INVITE when the ringing timeout expired.
      const cancels = stack.carrier.messages().filter((m) => m.direction === "received" && m.firstLine.startsWith(`CANCEL sip:${neverAnswers}@`));
      expect(cancels).toHaveLength(1);
      await roomClosed("no-answer-1");
    }));

  it("records a busy callee's 486 as busy, with one authenticated INVITE and no retry, and closes the room", () =>
    stack.withLogs(async () => {
      await expectFinalRefusal(busyNumber, "busy-1", { outcome: "busy", reason: "busy_here", sipStatusCode: 486, sipStatus: "Busy Here" });
    }));

  it("refuses a job with invalid metadata with a clear error, and the next valid job still succeeds", () =>
    stack.withLogs(async () => {
      const { url, apiKey, apiSecret } = stack.livekit;
      await rooms.createRoom({ name: "invalid-metadata-1" });
      await new AgentDispatchClient(url, apiKey, apiSecret).createDispatch("invalid-metadata-1", agentName, {
        metadata: JSON.stringify({ phoneNumber: "12345" }),
      });

      const refused = await worker.waitForLine(
        "the worker refuses the job",
        (l) => l.event === "call.invalid_metadata" && l.room === "invalid-metadata-1",
      );
      expect(refused.problems).toEqual([
        expect.stringMatching(/^job metadata field "phone_number" is missing: expected the number to call, an E\.164 phone number /),
        expect.stringMatching(/^job metadata field "call_id" is missing: expected the backend's call identifier/),
        expect.stringMatching(/^job metadata field "phoneNumber" is not recognised: expected only phone_number, call_id, caller_id, agent; /),
      ]);
      await roomClosed("invalid-metadata-1");

      const next = await call(answeringNumber, "answer-after-invalid");
      expect(next.summary).toMatchObject({ outcome: { outcome: "answered" }, ended: "callee_hung_up" });
      expect(next.code).toBe(0);
    }));

  it("saw no retry of the rejected call afterwards", () => {
    expect(stack.carrier.invitesTo(rejectedNumber)).toHaveLength(2);
  });

  it("leaves nothing of its ended calls running in the worker's call group process: no greeting's audio capture thread outlives its call", () => {
    const callPids = new Set(worker.lines().flatMap((l) => (l.event === "call.ended" && typeof l.pid === "number" ? [l.pid] : [])));
    const running = [...callPids].filter((pid) => existsSync(`/proc/${pid}/task`));
    // The process that ran the answered calls still serves (it holds the idle slots).
    expect(running.length).toBeGreaterThan(0);
    for (const pid of running) {
      const threads = readdirSync(`/proc/${pid}/task`).map((task) => readFileSync(`/proc/${pid}/task/${task}/comm`, "utf8").trim());
      expect(threads.filter((name) => name.startsWith("AudioSourceCapt"))).toEqual([]);
    }
  });
});
