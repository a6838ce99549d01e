/**
 * The worker replaced as a deploy replaces it (worker-slots.sh hand-over): the new worker starts
 * and registers while the old one still serves, then the old one gets SIGTERM, as `docker kill
 * --signal SIGTERM` sends it. With an outbound call up through the real stack and sipp as the
 * carrier: the call in progress stays on the old worker until the carrier hangs up, a call
 * dispatched during the handover is answered by the new worker, and the old worker exits by itself
 * once its call has ended. LiveKit Agents drains on SIGTERM in production mode (`start`), which is
 * how the worker runs in its container and here.
 */
import { type CallStack, startCallStack } from "../harness/call-stack";
import type { AgentWorker } from "../harness/worker";
import { answeredThenHungUp, runDispatchCall } from "./dispatch-script";

jest.setTimeout(180_000);

const agentName = "e2e-handover-agent";
const inProgressNumber = "+15550100300";
const duringHandoverNumber = "+15550100301";
// Long enough for the new worker to start and register while the first call is still up.
const holdMs = 45_000;

let stack: CallStack;
let oldWorker: AgentWorker;
let newWorker: AgentWorker | undefined;

beforeAll(async () => {
  stack = await startCallStack({ agentName, carrier: { holdMs } });
  oldWorker = await stack.startWorker({ name: "worker-a" });
}, 180_000);

afterAll(() => stack?.stop());

describe("the worker replaced as a deploy replaces it, with an outbound call up", () => {
  it("keeps the call on the old worker to its end, answers a call dispatched during the handover on the new one, and the old worker exits once its call has ended", () =>
    stack.withLogs(async () => {
      const { url, apiKey, apiSecret } = stack.livekit;
      const dispatch = (number: string, callId: string) =>
        runDispatchCall([number, "--url", url, "--key", apiKey, "--agent-name", agentName, "--call-id", callId], apiSecret);
      const answered = (callId: string) => (l: { event?: string; call_id?: unknown; outcome?: unknown }) =>
        l.event === "call.outcome" && l.call_id === callId && l.outcome === "answered";
      const inProgress = dispatch(inProgressNumber, "handover-1");
      await oldWorker.waitForLine("the first call is answered by the old worker", answered("handover-1"), 60_000);

      // The new worker registers first (compose's --wait on its health check), then the old one drains.
      newWorker = await stack.startWorker({ name: "worker-b" });
      expect(oldWorker.lines().some((l) => l.event === "call.ended" && l.call_id === "handover-1")).toBe(false);
      oldWorker.process.terminate();

      const during = dispatch(duringHandoverNumber, "handover-2");
      await newWorker.waitForLine("the call dispatched during the handover is answered by the new worker", answered("handover-2"), 60_000);
      expect(oldWorker.process.hasExited()).toBe(false);

      // The first call was kept: the carrier played its audio and hung up, on the old worker.
      const first = await inProgress;
      expect(first.summary).toEqual(answeredThenHungUp("handover-1"));
      expect(first.code).toBe(0);

      // The old worker left once its call had ended, by itself.
      expect(await oldWorker.process.exited).toBe("exit code 143");
      const firstEnd = oldWorker.lines().find((l) => l.event === "call.ended" && l.call_id === "handover-1");
      expect(firstEnd).toMatchObject({ reason: "callee_hung_up" });
      expect(firstEnd?.audio_frames_audible).toBeGreaterThan(0);
      expect(oldWorker.lines().some((l) => l.call_id === "handover-2")).toBe(false);

      const second = await during;
      expect(second.summary.outcome).toEqual({ outcome: "answered", reason: "answered", sipStatusCode: 200 });
      expect(second.summary.ended).toBe("callee_hung_up");
      expect(newWorker.lines().some((l) => l.call_id === "handover-1")).toBe(false);
      expect(stack.carrier.invitesTo(duringHandoverNumber)).toHaveLength(2);
    }));
});
