/**
 * livekit-sip stopped as compose stops it (SIGTERM, then the stop grace period) with an outbound
 * call up through the real stack, the real worker and sipp as the carrier: the call is kept, no new
 * call reaches the draining node, and the process exits once its calls have ended. livekit-sip
 * v1.8.0 (pkg/service/service.go) answers SIGTERM by leaving the CreateSIPParticipant topic and
 * polling its active calls until there are none; it has no limit of its own, which is why the
 * stack's stop grace periods are at least the longest call (maxCallMinutes).
 */
import { SipClient } from "livekit-server-sdk";
import { type CallStack, startCallStack } from "../harness/call-stack";
import { sipServicesOnBus } from "../harness/livekit-sip";
import { waitUntil } from "../harness/wait-until";
import type { AgentWorker } from "../harness/worker";
import { answeredThenHungUp, runDispatchCall } from "./dispatch-script";

jest.setTimeout(90_000);

const agentName = "e2e-drain-agent";
const inProgressNumber = "+15550100200";
const duringDrainNumber = "+15550100201";

let stack: CallStack;
let worker: AgentWorker;

beforeAll(async () => {
  stack = await startCallStack({ agentName });
  worker = await stack.startWorker();
}, 180_000);

afterAll(() => stack?.stop());

describe("livekit-sip sent SIGTERM with an outbound call up", () => {
  it("keeps the call until the carrier hangs up, gives no new call to the draining node, and exits once its calls have ended", () =>
    stack.withLogs(async () => {
      const sip = stack.sip.process;
      const { url, apiKey, apiSecret } = stack.livekit;
      const inProgress = runDispatchCall([inProgressNumber, "--url", url, "--key", apiKey, "--agent-name", agentName, "--call-id", "drain-1"], apiSecret);
      await worker.waitForLine("the first call is answered", (l) => l.event === "call.outcome" && l.call_id === "drain-1" && l.outcome === "answered");

      sip.terminate();
      // Draining: off the bus livekit-server places calls through, health 503, still running.
      await waitUntil("the draining livekit-sip leaves the bus", async () => (await sipServicesOnBus(stack.redis)) === 0, [sip]);
      await waitUntil("the draining livekit-sip reports unhealthy", async () => (await fetch(stack.sip.healthUrl)).status === 503, [sip]);
      expect(sip.hasExited()).toBe(false);

      // A new call, placed as the worker places one: livekit-server finds no SIP node to take it.
      const sipClient = new SipClient(url, apiKey, apiSecret);
      await expect(sipClient.createSipParticipant(stack.outboundTrunk.id, duringDrainNumber, "drain-2", { participantIdentity: "sip-drain-2" })).rejects.toThrow(
        /no response from servers/,
      );

      // The call in progress was kept: the carrier played its audio and hung up.
      const run = await inProgress;
      expect(run.summary).toEqual(answeredThenHungUp("drain-1"));
      expect(run.code).toBe(0);
      const ended = await worker.waitForLine("the first call's end", (l) => l.event === "call.ended" && l.call_id === "drain-1");
      expect(ended.reason).toBe("callee_hung_up");
      expect(ended.audio_frames_audible).toBeGreaterThan(0);

      // It waited for that call, then exited cleanly by itself.
      expect(await sip.exited).toBe("exit code 0");
      expect(sip.logTail(400)).toContain("waiting for calls to finish");
      expect(stack.carrier.invitesTo(duringDrainNumber)).toHaveLength(0);
      expect(stack.carrier.invitesTo(inProgressNumber)).toHaveLength(2);
    }));
});
