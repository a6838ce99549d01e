/**
 * Scale out, proven on the two-node stack (issue "Scale out"): two livekit-servers and two
 * livekit-sips sharing one Redis with AUTH, sipp as the carrier both ways, the real worker, and
 * the OpenAPI-validating fake Twilio holding the trunk, the stack's number and one enabled
 * origination URL per node's livekit-sip, created by the project's own providers. Calls Twilio
 * sends in are routed by the fake as Twilio's origination routes them (enabled URLs only, lowest
 * priority, weighted pick) and sent with sipp from the carrier's address.
 *
 * The rolling deploy is the gate's own logic (components/rolling-deploy rollNodes) with the
 * harness as its effects: the project's origination URL switch provider against the fake, SIGTERM
 * to livekit-sip, its exit as "its calls have ended", a restart as the update, the health
 * endpoints and the Redis bus as the health check.
 */
import { SipClient } from "livekit-server-sdk";
import { rollNodes, type NodeRollEffects, type RollTarget } from "../../components/rolling-deploy/node-roll";
import { dispatchRuleProvider, inboundTrunkProvider, outboundTrunkProvider } from "../../providers/livekit";
import { staticProviderConfig } from "../../providers/base";
import { originationUrlProvider, originationUrlSwitchProvider, trunkPhoneNumberProvider, trunkProvider } from "../../providers/twilio";
import { startSipCall } from "../../scripts/dispatch/sip-caller";
import { twilioCallRequest, twilioCalls } from "../../scripts/dispatch/twilio-caller";
import { type Carrier, startCarrier } from "../harness/carrier";
import { carrierPassword, carrierUser, stackNumber } from "../harness/call-stack";
import { configureLivekitProviders } from "../harness/livekit-providers";
import { sipServicesOnBus } from "../harness/livekit-sip";
import { FakeTwilio } from "../harness/twilio-fake";
import { originationPlacer } from "../harness/twilio-fake/origination-routing";
import { addCallsApi, type FinalCallStatus, twimlPauseSeconds } from "../harness/twilio-fake/twilio-calls";
import { type TwoNodeStack, startTwoNodeStack, type VoiceNode } from "../harness/voice-stack";
import { waitUntil } from "../harness/wait-until";
import { type AgentWorker, buildWorkerIfStale, startWorker } from "../harness/worker";
import { applyResource, type EngineProvider, type ResourceState } from "../utils/dynamic-provider-engine";
import { answeredThenHungUp, runDispatchCall } from "./dispatch-script";

jest.setTimeout(240_000);

const agentName = "e2e-rolling-agent";
const project = "agent-studio-voice";
// Twilio's signaling address as the inbound trunk allows it: neither node's own SIP address.
const carrierSource = "127.0.0.4";
// How long every call stays up once answered: long enough to span a node's drain.
const holdSeconds = 10;
// The caller whose calls the fake's pick sends to node A whenever node A's URL is enabled (see `draw`).
const callerPreferringA = "+15550100701";
const callerPreferringB = "+15550100702";
// A caller whose pick prefers node B too, for the single inbound call before the roll.
const otherCaller = "+15550100703";

let stack: TwoNodeStack;
let carrier: Carrier;
let worker: AgentWorker;
let fake: FakeTwilio;
let nodeA: VoiceNode;
let nodeB: VoiceNode;
let trunkSid: string;
let outboundTrunkId: string;
const urls = new Map<VoiceNode, { sid: string; sipUrl: string }>();
let calls: ReturnType<typeof twilioCalls>;
let routing: ReturnType<typeof originationPlacer>;
const inboundResults = new Map<string, FinalCallStatus>();

/** `check` then `create` through a project provider, as the engine does for a new resource. */
async function created<I extends object, O>(provider: EngineProvider<I, O>, inputs: I): Promise<ResourceState<I, O>> {
  return (await applyResource(provider, undefined, inputs)).state;
}

beforeAll(async () => {
  buildWorkerIfStale();
  // RTP ports for a dozen calls at once on one node, should the bus race give it all of them.
  stack = await startTwoNodeStack({ rtpPortCount: 60 });
  [nodeA, nodeB] = stack.nodes;
  await stack.withLogs(async () => {
    carrier = stack.track(await startCarrier({ logDir: stack.logDir, username: carrierUser, password: carrierPassword, holdMs: holdSeconds * 1000 }));
    await configureLivekitProviders(nodeA.livekit);
    const url = nodeA.livekit.url;
    const outbound = await created(outboundTrunkProvider, {
      url,
      name: "carrier",
      address: carrier.address,
      numbers: [stackNumber],
      transport: "udp" as const,
      authUsername: carrierUser,
      authPassword: carrierPassword,
      headers: {},
    });
    outboundTrunkId = outbound.id;
    const inbound = await created(inboundTrunkProvider, { url, name: "inbound", numbers: [stackNumber], allowedAddresses: [`${carrierSource}/32`] });
    await created(dispatchRuleProvider, { url, name: "inbound-calls", trunkIds: [inbound.id], roomPrefix: "call-", agentName });
    worker = stack.track(
      await startWorker({ livekit: nodeB.livekit, sipOutboundTrunkId: outbound.id, agentName, logDir: stack.logDir, maxConcurrentCalls: 10 }),
    );

    fake = await FakeTwilio.start();
    fake.state.ownPhoneNumber(stackNumber);
    const config = staticProviderConfig(fake.stackConfig(project), project);
    for (const provider of [trunkProvider, originationUrlProvider, trunkPhoneNumberProvider, originationUrlSwitchProvider]) await provider.configure({ config });
    const trunk = await created(trunkProvider, {
      friendlyName: "agent-studio rolling",
      domainName: "agent-studio-rolling.pstn.twilio.com",
      secure: false,
      cnamLookupEnabled: false,
      transferMode: "disable-all" as const,
    });
    trunkSid = trunk.id;
    for (const node of stack.nodes) {
      const sipUrl = `sip:${node.sip.host}:${node.sip.sipPort}`;
      const o = await created(originationUrlProvider, { trunkSid, friendlyName: `livekit-sip ${node.name}`, sipUrl, priority: 10, weight: 10, enabled: true });
      urls.set(node, { sid: o.id, sipUrl });
    }
    await created(trunkPhoneNumberProvider, { trunkSid, phoneNumber: stackNumber });

    // Twilio's pick is random; the test pins it per caller: with both URLs enabled, equal priority
    // and weight, a draw below 0.5 picks node A's URL (created first) and one above picks node B's.
    routing = originationPlacer(
      fake,
      async (address, call) => {
        const leg = await startSipCall({ address, source: carrierSource, from: call.from, to: call.to, holdSeconds: twimlPauseSeconds(call.twiml), timeoutSeconds: call.timeoutSeconds });
        try {
          const report = await leg.ended;
          // Completed: answered, and the caller's BYE at the end of its hold was answered too.
          const status: FinalCallStatus = report.finalResponse?.code === 200 && report.sippExit === 0 ? "completed" : "failed";
          inboundResults.set(call.sid, status);
          return status;
        } finally {
          await leg.stop();
        }
      },
      (call) => (call.from === callerPreferringA ? 0.25 : 0.75),
    );
    addCallsApi(fake, routing.placer);
    calls = twilioCalls({ accountSid: fake.credentials.accountSid, authToken: fake.credentials.authToken }, fake.baseUrl);
  });
}, 240_000);

afterAll(async () => {
  await fake?.stop();
  await stack?.stop();
});

/** `npm run call` through `node`'s API, as a backend behind the one URL would land on it. */
function callOut(node: VoiceNode, number: string, callId: string) {
  const { url, apiKey, apiSecret } = node.livekit;
  return runDispatchCall([number, "--url", url, "--key", apiKey, "--agent-name", agentName, "--call-id", callId], apiSecret);
}

/** The node whose livekit-sip sent the carrier the INVITE for `number` (its Via). */
function dialedBy(number: string): VoiceNode | undefined {
  const invite = carrier.invitesTo(number)[0];
  const host = invite === undefined ? undefined : /^Via: SIP\/2\.0\/UDP ([\d.]+):/im.exec(invite.text)?.[1];
  return stack.nodes.find((node) => node.sip.host === host);
}

/** A call to the stack's number placed through the fake's Calls API; resolves with its SID once Twilio accepted it. */
async function callIn(from: string): Promise<string> {
  return (await calls.create(twilioCallRequest(stackNumber, from, holdSeconds, 30))).sid;
}

/** The node the fake sent call `sid` to. */
function routedTo(sid: string): VoiceNode | undefined {
  const sipUrl = routing.routed().find((r) => r.sid === sid)?.sipUrl;
  return stack.nodes.find((node) => urls.get(node)?.sipUrl === sipUrl);
}

/** Waits until the fake's origination leg of call `sid` has ended; its status. */
async function inboundEnded(sid: string): Promise<FinalCallStatus> {
  await waitUntil(`inbound call ${sid} ends`, async () => inboundResults.has(sid), [], 120_000);
  return inboundResults.get(sid) as FinalCallStatus;
}

describe("two voice nodes behind one Twilio trunk with an origination URL each", () => {
  it("answers outbound calls dispatched through either node's API, and both livekit-sips dial a share of them", () =>
    stack.withLogs(async () => {
      // Dispatched as a backend dispatches them (`npm run call`), through each node's API.
      const dispatched = await Promise.all([callOut(nodeA, "+15550100600", "share-a"), callOut(nodeB, "+15550100601", "share-b")]);
      expect(dispatched.map((run) => run.summary)).toEqual([answeredThenHungUp("share-a"), answeredThenHungUp("share-b")]);

      // livekit-sip v1.8.0 takes a CreateSIPParticipant by a race on the Redis bus, not by load, so
      // which node dials a call is chance (a trial run split 8 calls 4/4). The share is measured on
      // calls placed as the worker places them, straight to the API, which cost no worker job:
      // 12 calls all taken by one node has odds of 2^-11 if the race is fair. (The roll below shows
      // each node dialing, with certainty, while the other drains.)
      const sip = stack.nodes.map((node) => new SipClient(node.livekit.url, node.livekit.apiKey, node.livekit.apiSecret));
      // The carrier answers +1555013… at once and hangs up after 1 s (sipp/carrier-uas.xml).
      const numbers = Array.from({ length: 12 }, (_, i) => `+15550130${String(i).padStart(2, "0")}`);
      await Promise.all(
        numbers.map((number, i) => sip[i % 2].createSipParticipant(outboundTrunkId, number, `share-${i}`, { participantIdentity: `sip-share-${i}`, waitUntilAnswered: true })),
      );
      const dialers = numbers.map((number) => dialedBy(number)?.name);
      expect(dialers.filter((name) => name === nodeA.name).length).toBeGreaterThan(0);
      expect(dialers.filter((name) => name === nodeB.name).length).toBeGreaterThan(0);
      expect(dialers.filter((name) => name === undefined)).toEqual([]);
    }));

  it("sends a call to the stack's number to an enabled origination URL, where an agent answers it", () =>
    stack.withLogs(async () => {
      const { url, apiKey, apiSecret } = nodeB.livekit;
      const run = await runDispatchCall(
        ["--inbound", stackNumber, "--from", otherCaller, "--twilio-account-sid", fake.credentials.accountSid, "--twilio-api-base-url", fake.baseUrl,
          "--hold", "4", "--timeout", "30", "--url", url, "--key", apiKey, "--agent-name", agentName],
        apiSecret,
        { TWILIO_AUTH_TOKEN: fake.credentials.authToken },
      );
      expect(run.summary).toMatchObject({ direction: "inbound", workerJoined: true, outcome: { outcome: "answered" }, ended: "callee_hung_up" });
      expect(run.code).toBe(0);
      expect(routedTo(run.summary.caller?.twilioCallSid as string)).toBe(nodeB);
      fake.assertNoViolations();
    }));

  it("rolls node A then node B while calls are up on both: no call fails, every call in progress completes, new calls go only to the serving node", () =>
    stack.withLogs(async () => {
      // Calls up on both nodes: one inbound call routed to each, and two outbound calls.
      const upInboundA = await callIn(callerPreferringA);
      const upInboundB = await callIn(callerPreferringB);
      const upOutbound = [callOut(nodeA, "+15550100610", "roll-up-0"), callOut(nodeB, "+15550100611", "roll-up-1")];
      const answered = (callId: string) => worker.waitForLine(`call ${callId} is answered`, (l) => l.event === "call.outcome" && l.call_id === callId && l.outcome === "answered", 60_000);
      await Promise.all([answered("roll-up-0"), answered("roll-up-1")]);
      const incoming = (caller: string) => worker.waitForLine(`the call from ${caller} is taken`, (l) => l.event === "call.incoming" && l.caller_number === caller, 60_000);
      await Promise.all([incoming(callerPreferringA), incoming(callerPreferringB)]);
      expect([routedTo(upInboundA), routedTo(upInboundB)]).toEqual([nodeA, nodeB]);

      // Placed while a node drains: an inbound call whose pick prefers the draining node, and an outbound call.
      const duringDrain = new Map<VoiceNode, { inbound: string; outbound: ReturnType<typeof callOut>; number: string }>();
      const revision = "rolling-deploy-test";
      const switches = new Map<string, ResourceState<object, object>>();
      const target = (node: VoiceNode, other: VoiceNode, index: number): RollTarget => {
        const url = { trunkSid, sid: (urls.get(node) as { sid: string }).sid };
        const effects: NodeRollEffects = {
          async setOriginationUrlEnabled(enabled) {
            // Two switches per node, as the component declares them: one disables, one enables.
            const key = `${node.name}-${enabled}`;
            const result = await applyResource(originationUrlSwitchProvider, switches.get(key) as never, { trunkSid, originationUrlSid: url.sid, enabled, revision });
            switches.set(key, result.state as ResourceState<object, object>);
          },
          async startDrain() {
            node.sip.process.terminate();
            const number = `+1555010062${index}`;
            const caller = node === nodeA ? callerPreferringA : callerPreferringB;
            duringDrain.set(node, { inbound: await callIn(caller), outbound: callOut(other, number, `roll-drain-${index}`), number });
            // Dialed before the roll goes on: the drained node cannot be back on the bus by then.
            await waitUntil(`the carrier gets the INVITE for ${number}`, async () => carrier.invitesTo(number).length > 0, [other.sip.process], 60_000);
          },
          callsEnded: async () => node.sip.process.hasExited(),
          update: () => node.sip.restart(),
          healthy: async () =>
            (await fetch(node.sip.healthUrl)).status === 200 && (await fetch(`${node.livekit.url}/`)).ok && (await sipServicesOnBus(stack.redis)) === 2,
        };
        return { name: node.name, originationUrl: url, effects };
      };

      const reports = await rollNodes([target(nodeA, nodeB, 0), target(nodeB, nodeA, 1)], { drainMs: 90_000, healthMs: 30_000, pollMs: 200 });

      // Each node drained to its last call: none reached the longest-call limit.
      expect(reports).toEqual([
        { name: nodeA.name, drainLimitReached: false },
        { name: nodeB.name, drainLimitReached: false },
      ]);
      // Calls placed while a node drained went to the other node only, both ways.
      expect(routedTo(duringDrain.get(nodeA)!.inbound)).toBe(nodeB);
      expect(routedTo(duringDrain.get(nodeB)!.inbound)).toBe(nodeA);
      // Every call completed: the ones up before the roll and the ones placed during it.
      const inboundSids = [upInboundA, upInboundB, duringDrain.get(nodeA)!.inbound, duringDrain.get(nodeB)!.inbound];
      expect(await Promise.all(inboundSids.map(inboundEnded))).toEqual(["completed", "completed", "completed", "completed"]);
      const outboundRuns = await Promise.all([...upOutbound, duringDrain.get(nodeA)!.outbound, duringDrain.get(nodeB)!.outbound]);
      expect(outboundRuns.map((run) => run.summary)).toEqual(["roll-up-0", "roll-up-1", "roll-drain-0", "roll-drain-1"].map(answeredThenHungUp));
      expect(dialedBy(duringDrain.get(nodeA)!.number)).toBe(nodeB);
      expect(dialedBy(duringDrain.get(nodeB)!.number)).toBe(nodeA);
      // Both URLs serve again, and each drained livekit-sip exited by itself once its calls had ended.
      expect([...fake.state.trunks.get(trunkSid)!.originationUrls.values()].map((o) => o.enabled)).toEqual([true, true]);
      for (const node of stack.nodes) expect(node.sip.process.logTail(2000)).toContain("waiting for calls to finish");
      fake.assertNoViolations();
    }));
});
