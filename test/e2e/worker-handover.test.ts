/**
 * The worker replaced as a deploy replaces it (worker-slots.sh hand-over): the new worker starts
 * and registers while the old one still serves, then the old one gets SIGTERM, as `docker kill
 * --signal SIGTERM` sends it. With an outbound call up through the real stack and sipp as the
 * carrier: the call in progress stays on the old worker until the carrier hangs up, a call
 * dispatched during the handover is answered by the new worker, and the old worker exits by itself
 * once its call has ended. LiveKit Agents drains on SIGTERM in production mode (`start`), which is
 * how the worker runs in its container and here.
 */
import { outboundTrunkProvider } from "../../providers/livekit";
import { formatLogs } from "../harness/wait-until";
import { type VoiceStack, startVoiceStack } from "../harness/voice-stack";
import { type AgentWorker, buildWorkerIfStale, startWorker } from "../harness/worker";
import { createChecked, liveKitStackConfig } from "../integration/livekit/provider-steps";
import { type Carrier, startCarrier } from "./carrier";
import { runDispatchCall } from "./dispatch-script";

jest.setTimeout(180_000);

const agentName = "e2e-handover-agent";
const carrierUser = "e2e-carrier";
const carrierPassword = "Carrier-Passw0rd-e2e";
const inProgressNumber = "+15550100300";
const duringHandoverNumber = "+15550100301";
// Long enough for the new worker to start and register while the first call is still up.
const holdMs = 45_000;

let stack: VoiceStack;
let carrier: Carrier;
let oldWorker: AgentWorker;
let newWorker: AgentWorker | undefined;
let trunkId: string;

beforeAll(async () => {
  buildWorkerIfStale();
  stack = await startVoiceStack();
  carrier = await startCarrier({ logDir: stack.logDir, username: carrierUser, password: carrierPassword, holdMs });
  await outboundTrunkProvider.configure({ config: liveKitStackConfig(stack.livekit) });
  const trunk = await createChecked(outboundTrunkProvider, {
    url: stack.livekit.url,
    name: "e2e-carrier",
    address: carrier.address,
    numbers: ["+15550100001"],
    transport: "udp",
    authUsername: carrierUser,
    authPassword: carrierPassword,
    headers: {},
  });
  trunkId = trunk.id;
  oldWorker = await startWorker({ livekit: stack.livekit, sipOutboundTrunkId: trunkId, agentName, logDir: stack.logDir, name: "worker-a" });
}, 180_000);

afterAll(async () => {
  await oldWorker?.process.stop();
  await newWorker?.process.stop();
  await carrier?.process.stop();
  await stack?.stop();
});

describe("the worker replaced as a deploy replaces it, with an outbound call up", () => {
  it("keeps the call on the old worker to its end, answers a call dispatched during the handover on the new one, and the old worker exits once its call has ended", () =>
    stack.withLogs(async () => {
      const { url, apiKey, apiSecret } = stack.livekit;
      const dispatch = (number: string, callId: string) =>
        runDispatchCall([number, "--url", url, "--key", apiKey, "--agent-name", agentName, "--call-id", callId], apiSecret);
      const answered = (callId: string) => (l: { event?: string; call_id?: unknown; outcome?: unknown }) =>
        l.event === "call.outcome" && l.call_id === callId && l.outcome === "answered";
      try {
        const inProgress = dispatch(inProgressNumber, "handover-1");
        await oldWorker.waitForLine("the first call is answered by the old worker", answered("handover-1"), 60_000);

        // The new worker registers first (compose's --wait on its health check), then the old one drains.
        newWorker = await startWorker({ livekit: stack.livekit, sipOutboundTrunkId: trunkId, agentName, logDir: stack.logDir, name: "worker-b" });
        expect(oldWorker.lines().some((l) => l.event === "call.ended" && l.call_id === "handover-1")).toBe(false);
        oldWorker.process.terminate();

        const during = dispatch(duringHandoverNumber, "handover-2");
        await newWorker.waitForLine("the call dispatched during the handover is answered by the new worker", answered("handover-2"), 60_000);
        expect(oldWorker.process.hasExited()).toBe(false);

        // The first call was kept: the carrier played its audio and hung up, on the old worker.
        const first = await inProgress;
        expect(first.summary).toEqual({
          callId: "handover-1",
          workerJoined: true,
          outcome: { outcome: "answered", reason: "answered", sipStatusCode: 200 },
          ended: "callee_hung_up",
        });
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
        expect(carrier.invitesTo(duringHandoverNumber)).toHaveLength(2);
      } catch (error) {
        console.error(formatLogs([oldWorker.process, ...(newWorker ? [newWorker.process] : []), carrier.process], 120));
        throw error;
      }
    }));
});
