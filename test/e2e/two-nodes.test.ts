/**
 * Two voice nodes sharing one Redis with AUTH, as nodes share Memorystore (issue "Scale out"): the
 * project's rendered livekit.yaml and sip.yaml on two livekit-servers and two livekit-sips (SIP on
 * 127.0.0.2 and 127.0.0.3), the outbound trunk created once through node A's API, the worker
 * registered with node B only, and sipp as the carrier. Calls placed through either node's API are
 * answered: a room pinned to node A is served to the worker and the backend connected to node B
 * (signaling relayed through Redis, media straight to node A), and whichever livekit-sip takes a
 * call off the bus dials it. livekit-sip v1.8.0 takes CreateSIPParticipant by a race on the bus,
 * not by load: the test shows each node's livekit-sip dials, by draining one and seeing the other
 * take the next call.
 */
import { RoomServiceClient } from "livekit-server-sdk";
import { type Carrier, startCarrier } from "../harness/carrier";
import { carrierPassword, carrierUser, createCarrierTrunk } from "../harness/call-stack";
import { sipServicesOnBus } from "../harness/livekit-sip";
import { waitUntil } from "../harness/wait-until";
import { type TwoNodeStack, startTwoNodeStack, type VoiceNode } from "../harness/voice-stack";
import { type AgentWorker, buildWorkerIfStale, startWorker } from "../harness/worker";
import { answeredThenHungUp, runDispatchCall } from "./dispatch-script";

jest.setTimeout(240_000);

const agentName = "e2e-two-node-agent";

let stack: TwoNodeStack;
let carrier: Carrier;
let worker: AgentWorker;
let nodeA: VoiceNode;
let nodeB: VoiceNode;

beforeAll(async () => {
  buildWorkerIfStale();
  stack = await startTwoNodeStack();
  [nodeA, nodeB] = stack.nodes;
  await stack.withLogs(async () => {
    carrier = stack.track(await startCarrier({ logDir: stack.logDir, username: carrierUser, password: carrierPassword }));
    const trunkId = (await createCarrierTrunk(nodeA.livekit, carrier.address)).id;
    worker = stack.track(await startWorker({ livekit: nodeB.livekit, sipOutboundTrunkId: trunkId, agentName, logDir: stack.logDir }));
  });
}, 240_000);

afterAll(() => stack?.stop());

/** `npm run call` through `node`'s API, as a backend behind the one URL would land on it. */
function callThrough(node: VoiceNode, number: string, callId: string) {
  const { url, apiKey, apiSecret } = node.livekit;
  return runDispatchCall([number, "--url", url, "--key", apiKey, "--agent-name", agentName, "--call-id", callId], apiSecret);
}

/** The SIP address of the livekit-sip that sent the carrier the INVITE for `number` (its Via). */
function dialedBy(number: string): string | undefined {
  const invite = carrier.invitesTo(number)[0];
  return invite === undefined ? undefined : /^Via: SIP\/2\.0\/UDP ([\d.]+):/im.exec(invite.text)?.[1];
}

describe("two voice nodes sharing one Redis with AUTH", () => {
  it("answers a call whose room lives on node A while the backend and the worker are connected to node B", () =>
    stack.withLogs(async () => {
      const callId = "two-node-relay";
      const pinned = await new RoomServiceClient(nodeA.livekit.url, nodeA.livekit.apiKey, nodeA.livekit.apiSecret).createRoom({
        name: callId,
        nodeId: nodeA.nodeId,
      });
      expect(pinned.name).toBe(callId);
      expect(await stack.redis.command("HGET", "room_node_map", callId)).toBe(nodeA.nodeId);

      const run = await callThrough(nodeB, "+15550100500", callId);
      expect(run.summary).toEqual(answeredThenHungUp(callId));
      const ended = await worker.waitForLine("the relayed call's end", (l) => l.event === "call.ended" && l.call_id === callId);
      expect(ended.audio_frames_audible).toBeGreaterThan(0);
      expect([nodeA.sip.host, nodeB.sip.host]).toContain(dialedBy("+15550100500"));
    }));

  it("dials through either node's livekit-sip: when the one that took a call drains, the other takes the next", () =>
    stack.withLogs(async () => {
      const first = await callThrough(nodeA, "+15550100501", "two-node-first");
      expect(first.summary).toEqual(answeredThenHungUp("two-node-first"));
      const firstSip = dialedBy("+15550100501");
      const [drained, other] = firstSip === nodeA.sip.host ? [nodeA, nodeB] : [nodeB, nodeA];
      expect(firstSip).toBe(drained.sip.host);

      // SIGTERM as compose sends it: it leaves the bus and takes no new call.
      drained.sip.process.terminate();
      await waitUntil("the drained livekit-sip leaves the bus", async () => (await sipServicesOnBus(stack.redis)) === 1, [other.sip.process]);

      const second = await callThrough(drained, "+15550100502", "two-node-second");
      expect(second.summary).toEqual(answeredThenHungUp("two-node-second"));
      expect(dialedBy("+15550100502")).toBe(other.sip.host);
    }));
});
