/**
 * Redis restarted under a call in progress, as a redis.conf change, a container recreate or a
 * reboot restarts it: the real livekit-server, livekit-sip and Redis from the project's rendered
 * configs (Redis with its data directory), the trunks and rule made by the project's providers,
 * the real worker, and sipp as the carrier. What livekit-server stored must come back from the
 * append-only file: the same trunks and rule under the same IDs, so the worker's SIP_OUTBOUND_TRUNK_ID
 * and Twilio's origination keep working, and the call up at the time is not dropped.
 */
import { RoomServiceClient, SipClient } from "livekit-server-sdk";
import { type CallStack, carrierSignalingAddress, stackNumber, startCallStack } from "../harness/call-stack";
import { answeringNumber } from "../harness/carrier";
import { sipServicesOnBus } from "../harness/livekit-sip";
import { waitUntil } from "../harness/wait-until";
import type { AgentWorker } from "../harness/worker";
import { type DispatchRun, runDispatchCall } from "./dispatch-script";

jest.setTimeout(120_000);

const agentName = "e2e-redis-agent";

let stack: CallStack;
let worker: AgentWorker;
let sip: SipClient;
let rooms: RoomServiceClient;
const ids = { outbound: "", inbound: "", rule: "" };

beforeAll(async () => {
  stack = await startCallStack({ agentName, inbound: {} });
  const { url, apiKey, apiSecret } = stack.livekit;
  sip = new SipClient(url, apiKey, apiSecret);
  rooms = new RoomServiceClient(url, apiKey, apiSecret);
  ids.outbound = stack.outboundTrunk.id;
  ids.inbound = stack.inbound?.trunkId ?? "";
  ids.rule = stack.inbound?.ruleId ?? "";
  worker = await stack.startWorker();
}, 180_000);

afterAll(() => stack?.stop());

/** `npm run call -- <number> …`: an outbound call the worker places over the outbound trunk. */
function callOut(callId: string): Promise<DispatchRun> {
  const { url, apiKey, apiSecret } = stack.livekit;
  return runDispatchCall([answeringNumber, "--url", url, "--key", apiKey, "--agent-name", agentName, "--call-id", callId], apiSecret);
}

/** `npm run call -- --inbound … --sip …`: a call into the stack from the carrier's address. */
function callIn(): Promise<DispatchRun> {
  const { url, apiKey, apiSecret } = stack.livekit;
  return runDispatchCall(
    [
      "--inbound", stackNumber,
      "--from", "+15550100777",
      "--sip", `127.0.0.1:${stack.sip.sipPort}`,
      "--sip-source", carrierSignalingAddress,
      // Long enough for the agent's greeting to reach the caller on a loaded machine: exit 0 needs it heard.
      "--hold", "8",
      "--timeout", "30",
      "--url", url, "--key", apiKey, "--agent-name", agentName,
    ],
    apiSecret,
  );
}

/** The IDs of every trunk and rule livekit-server lists. */
async function listedIds(): Promise<{ outbound: string[]; inbound: string[]; rule: string[] }> {
  const [outbound, inbound, rules] = await Promise.all([sip.listSipOutboundTrunk(), sip.listSipInboundTrunk(), sip.listSipDispatchRule()]);
  return {
    outbound: outbound.map((t) => t.sipTrunkId),
    inbound: inbound.map((t) => t.sipTrunkId),
    rule: rules.map((r) => r.sipDispatchRuleId),
  };
}

describe("Redis restarted with the rendered redis.conf and its data directory, a call up through the worker", () => {
  it("keeps the trunks and the dispatch rule under the same IDs, does not drop the call in progress, and answers the next calls over them", () =>
    stack.withLogs(async () => {
      expect(await listedIds()).toEqual({ outbound: [ids.outbound], inbound: [ids.inbound], rule: [ids.rule] });
      const inProgress = callOut("during-restart");
      await worker.waitForLine(
        "the carrier answers the call",
        (l) => l.event === "call.outcome" && l.call_id === "during-restart" && l.outcome === "answered",
      );

      await stack.redis.restart();

      expect(await listedIds()).toEqual({ outbound: [ids.outbound], inbound: [ids.inbound], rule: [ids.rule] });
      // The call outlived the restart: the carrier's leg is still in the room.
      expect((await rooms.listParticipants("during-restart")).map((p) => p.identity)).toContain("sip-during-restart");
      // ...and ends as the carrier ends it.
      const ended = await inProgress;
      expect(ended.summary).toMatchObject({ callId: "during-restart", outcome: { outcome: "answered" }, ended: "callee_hung_up" });
      expect(ended.code).toBe(0);
      const endLine = await worker.waitForLine("the call's end", (l) => l.event === "call.ended" && l.call_id === "during-restart");
      expect(endLine.reason).toBe("callee_hung_up");

      // livekit-sip takes calls from the bus again once its subscription is back.
      await waitUntil("livekit-sip subscribes on the restarted Redis", async () => (await sipServicesOnBus(stack.redis)) > 0, [stack.sip.process]);
      const next = await callOut("after-restart");
      expect(next.summary).toMatchObject({ outcome: { outcome: "answered" }, ended: "callee_hung_up" });
      expect(next.code).toBe(0);
      const dialed = await worker.waitForLine("the next call's dialing", (l) => l.event === "call.dialing" && l.call_id === "after-restart");
      expect(dialed.sip_trunk_id).toBe(ids.outbound);

      const incoming = await callIn();
      expect(incoming.summary).toMatchObject({ direction: "inbound", workerJoined: true, outcome: { outcome: "answered" } });
      expect(incoming.code).toBe(0);
    }));
});
