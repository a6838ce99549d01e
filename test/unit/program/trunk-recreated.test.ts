/**
 * After Redis lost its data, `pulumi refresh` drops the LiveKit trunks from the state and
 * `pulumi up` creates them again under new IDs. Under the mock runtime, with the engine handing
 * back those new IDs: what the up re-runs.
 */
import { MockMonitor } from "../../../scripts/plan/mock-monitor";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { stackConfig, triggersByStep } from "../../utils/offline-program";

const outboundTrunkType = "pulumi-nodejs:dynamic/livekit:SipOutboundTrunk";
const inboundTrunkType = "pulumi-nodejs:dynamic/livekit:SipInboundTrunk";

/** The whole program under mocks, with the engine giving resources of a type the ID `id` (as a create after refresh would). */
async function runWithNewId(type?: string, id?: string): Promise<OfflineRun> {
  let run: OfflineRun | undefined;
  await jest.isolateModulesAsync(async () => {
    const monitor = (await import("../../../scripts/plan/mock-monitor")) as { MockMonitor: typeof MockMonitor };
    const original = monitor.MockMonitor.prototype.newResource;
    const spy = jest
      .spyOn(monitor.MockMonitor.prototype, "newResource")
      .mockImplementation(function (this: MockMonitor, args) {
        return original.call(this, args.type === type && id !== undefined ? { ...args, id } : args);
      });
    try {
      const { runOffline } = await import("../../../scripts/plan/run-offline");
      run = await runOffline("agent-studio-voice", "prod", stackConfig("prod"));
    } finally {
      spy.mockRestore();
    }
  });
  if (!run) throw new Error("the program did not run");
  return run;
}

describe("LiveKit trunks created again under new IDs (Redis's data lost, then refresh and up)", () => {
  let base: OfflineRun;
  beforeAll(async () => {
    base = await runWithNewId();
  }, 60_000);

  it("a new outbound trunk ID re-runs the worker's step, and only it: the worker restarts with the new SIP_OUTBOUND_TRUNK_ID", async () => {
    const recreated = await runWithNewId(outboundTrunkType, "ST_recreatedOutbound");
    expect(recreated.monitor.ofType(outboundTrunkType).map((t) => t.id)).toEqual(["ST_recreatedOutbound"]);
    const [before, after] = [triggersByStep(base), triggersByStep(recreated)];
    expect(Object.keys(before).filter((step) => before[step] !== after[step])).toEqual(["voice-worker-deploy"]);
    expect(recreated.outputs.outboundTrunkId).toBe("ST_recreatedOutbound");
  }, 60_000);

  it("a new inbound trunk ID goes into the dispatch rule's trunks and re-runs no step", async () => {
    const recreated = await runWithNewId(inboundTrunkType, "ST_recreatedInbound");
    const rules = recreated.monitor.ofType("pulumi-nodejs:dynamic/livekit:SipDispatchRule");
    expect(rules.map((rule) => rule.inputs.trunkIds)).toEqual([["ST_recreatedInbound"]]);
    expect(triggersByStep(recreated)).toEqual(triggersByStep(base));
  }, 60_000);
});
