/**
 * The doctor's trunk and rule lines after Redis lost its data (the volume or boot disk replaced),
 * against the real livekit-server: each names what is missing and gives the command that
 * restores it from the stack's state.
 */
import { dispatchRuleProvider, inboundTrunkProvider, outboundTrunkProvider } from "../../providers/livekit";
import type { CheckOutcome } from "../../scripts/doctor/check-result";
import { inboundCallChecks } from "../../scripts/doctor/inbound-call";
import { outboundTrunkCheck } from "../../scripts/doctor/outbound-trunk";
import { type LivekitStack, startLivekitStack } from "../harness/voice-stack";
import { configureLivekitProviders } from "../harness/livekit-providers";
import { createChecked } from "./livekit/provider-steps";

jest.setTimeout(60_000);

const trunkDomain = "agent-studio-lost.pstn.twilio.com";
const number = "+15005550006";
const carrierCidrs = ["54.172.60.0/30"];

let stack: LivekitStack;

beforeAll(async () => {
  stack = await startLivekitStack();
  await configureLivekitProviders(stack.livekit);
}, 90_000);
afterAll(() => stack?.stop());

/** The outbound-trunk, inbound-trunk and inbound-dispatch lines, as `npm run doctor` gets them. */
async function trunkLines(): Promise<CheckOutcome[]> {
  const access = { url: stack.livekit.url, apiKey: stack.livekit.apiKey, apiSecret: stack.livekit.apiSecret };
  const [inboundTrunk, inboundDispatch] = inboundCallChecks(access, number, carrierCidrs);
  return Promise.all([outboundTrunkCheck(access, trunkDomain).run(), inboundTrunk.run(), inboundDispatch.run()]);
}

describe("the doctor after Redis lost LiveKit's trunks and rule", () => {
  it("names the missing outbound trunk, inbound trunk and rule, and restores them with pulumi refresh then pulumi up", () =>
    stack.withLogs(async () => {
      const { url } = stack.livekit;
      await createChecked(outboundTrunkProvider, {
        url, name: "lost-outbound", address: trunkDomain, numbers: [number], transport: "udp", authUsername: "livekit", authPassword: "Sip-Passw0rd-One", headers: {},
      });
      const inbound = await createChecked(inboundTrunkProvider, { url, name: "lost-inbound", numbers: [number], allowedAddresses: carrierCidrs });
      await createChecked(dispatchRuleProvider, { url, name: "lost-calls", trunkIds: [inbound.id], roomPrefix: "call-", agentName: "agent-studio" });
      expect((await trunkLines()).map((line) => line.status)).toEqual(["pass", "pass", "pass"]);

      await stack.redis.command("FLUSHALL");
      await stack.redis.restart();

      const [outboundLine, inboundLine, ruleLine] = await trunkLines();
      expect(outboundLine).toMatchObject({ status: "fail", detail: `no outbound trunk points at ${trunkDomain} (none exists): the worker's calls fail` });
      expect(inboundLine).toMatchObject({ status: "fail", detail: `no inbound trunk lists ${number}: calls to it are refused` });
      expect(ruleLine.status).toBe("fail");
      for (const line of [outboundLine, inboundLine]) {
        expect(line.fix).toMatch(/^Restore it: `pulumi refresh` .*, then `pulumi up` \(creates it again under a new ID and restarts the worker/);
      }

      // What the fix says restores them: refresh dropped them, up creates them again, the lines pass.
      await createChecked(outboundTrunkProvider, {
        url, name: "lost-outbound", address: trunkDomain, numbers: [number], transport: "udp", authUsername: "livekit", authPassword: "Sip-Passw0rd-One", headers: {},
      });
      const inboundAgain = await createChecked(inboundTrunkProvider, { url, name: "lost-inbound", numbers: [number], allowedAddresses: carrierCidrs });
      await createChecked(dispatchRuleProvider, { url, name: "lost-calls", trunkIds: [inboundAgain.id], roomPrefix: "call-", agentName: "agent-studio" });
      expect((await trunkLines()).map((line) => line.status)).toEqual(["pass", "pass", "pass"]);
    }));
});
