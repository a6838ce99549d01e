import * as pulumi from "@pulumi/pulumi";
import { SipClient, SIPOutboundTrunkInfo } from "livekit-server-sdk";
import {
  dispatchRuleProvider,
  inboundTrunkProvider,
  outboundTrunkProvider,
  type DispatchRuleInputs,
  type InboundTrunkInputs,
  type OutboundTrunkInputs,
} from "../../../providers/livekit";
import { evaluateSipDispatch } from "../../harness/sip-dispatch";
import type { LivekitStack } from "../../harness/voice-stack";
import { liveKitStackConfig } from "../../harness/livekit-providers";
import { createChecked, sampleOutboundTrunk, startProviderStack, upAgain } from "./provider-steps";

jest.setTimeout(60_000);

let stack: LivekitStack;
let sip: SipClient;

beforeAll(async () => ({ stack, sip } = await startProviderStack()), 90_000);
afterAll(() => stack?.stop());

function outbound(overrides: Partial<OutboundTrunkInputs> = {}): OutboundTrunkInputs {
  return sampleOutboundTrunk(stack.livekit.url, "it-outbound", { transport: "tcp", headers: { "X-Agent-Studio-Env": "test" }, destinationCountry: "US", ...overrides });
}

function inbound(overrides: Partial<InboundTrunkInputs> = {}): InboundTrunkInputs {
  return {
    url: stack.livekit.url,
    name: "it-inbound",
    numbers: ["+15005550007"],
    allowedAddresses: ["54.172.60.0/30"],
    ...overrides,
  };
}

describe("LiveKit SIP outbound trunk against livekit-server", () => {
  it("goes through create, refresh, a password rotation in place, delete and a repeated delete", () =>
    stack.withLogs(async () => {
      const created = await createChecked(outboundTrunkProvider, outbound());
      expect(created.id).toMatch(/^ST_/);

      const stored = (await sip.listSipOutboundTrunk({ trunkIds: [created.id] }))[0];
      expect(stored).toMatchObject({
        address: "agent-studio-test.pstn.twilio.com",
        numbers: ["+15005550006"],
        authUsername: "livekit-test",
        authPassword: "Sip-Passw0rd-One",
        headers: { "X-Agent-Studio-Env": "test" },
        destinationCountry: "US",
      });

      const again = await upAgain(outboundTrunkProvider, created.id, created.outs, outbound());
      expect(again.refreshed.props).toEqual(created.outs);
      expect(again.diff.changes).toBe(false);

      const rotated = await upAgain(outboundTrunkProvider, created.id, created.outs, outbound({ authPassword: "Sip-Passw0rd-Two" }));
      expect(rotated.diff).toMatchObject({ changes: true, replaces: [], updates: ["authPassword"] });
      const afterRotation = await sip.listSipOutboundTrunk({ trunkIds: [created.id] });
      expect(afterRotation.map((t) => [t.sipTrunkId, t.authPassword])).toEqual([[created.id, "Sip-Passw0rd-Two"]]);
      expect(afterRotation[0].headers).toEqual({ "X-Agent-Studio-Env": "test" });

      await outboundTrunkProvider.delete(created.id, rotated.outs);
      expect(await sip.listSipOutboundTrunk({ trunkIds: [created.id] })).toEqual([]);
      await expect(outboundTrunkProvider.delete(created.id, rotated.outs)).resolves.toBeUndefined();
    }));

  it("reports a trunk deleted out of band as gone on refresh", () =>
    stack.withLogs(async () => {
      const created = await createChecked(outboundTrunkProvider, outbound({ name: "it-outbound-oob" }));
      await sip.deleteSipTrunk(created.id);
      expect(await outboundTrunkProvider.read(created.id, created.outs)).toEqual({});
    }));

  it("sees a password changed out of band and restores it in place", () =>
    stack.withLogs(async () => {
      const created = await createChecked(outboundTrunkProvider, outbound({ name: "it-outbound-drift" }));
      const tampered = new SIPOutboundTrunkInfo({ ...(await sip.listSipOutboundTrunk({ trunkIds: [created.id] }))[0], authPassword: "changed-by-hand" });
      await sip.updateSipOutboundTrunk(created.id, tampered);

      const repaired = await upAgain(outboundTrunkProvider, created.id, created.outs, outbound({ name: "it-outbound-drift" }));
      expect(repaired.refreshed.props).toMatchObject({ authPassword: "changed-by-hand" });
      expect(repaired.diff).toMatchObject({ changes: true, updates: ["authPassword"] });
      expect((await sip.listSipOutboundTrunk({ trunkIds: [created.id] }))[0].authPassword).toBe("Sip-Passw0rd-One");
      await outboundTrunkProvider.delete(created.id, repaired.outs);
    }));

  it("works after Pulumi's closure serialization, as the deployed provider runs", () =>
    stack.withLogs(async () => {
      // A fresh module instance, as in the program process, where `configure` never runs.
      let unconfigured: typeof outboundTrunkProvider | undefined;
      jest.isolateModules(() => {
        unconfigured = require("../../../providers/livekit/outbound-trunk").outboundTrunkProvider;
      });
      const serialized = await pulumi.runtime.serializeFunction(() => unconfigured, { allowSecrets: true });
      expect(serialized.text).not.toContain(stack.livekit.apiSecret);
      const revived: typeof outboundTrunkProvider = require("require-from-string")(serialized.text).handler();
      await revived.configure({ config: liveKitStackConfig(stack.livekit) });
      const created = await createChecked(revived, outbound({ name: "it-outbound-serialized" }));
      expect((await revived.read(created.id, created.outs)).props).toEqual(created.outs);
      await revived.delete(created.id, created.outs);
      expect(await revived.read(created.id, created.outs)).toEqual({});
    }));
});

describe("LiveKit SIP inbound trunk and dispatch rule against livekit-server", () => {
  it("creates a trunk and a per-call-room rule dispatching the agent, updates both in place, deletes both", () =>
    stack.withLogs(async () => {
      const trunk = await createChecked(inboundTrunkProvider, inbound());
      const rule: DispatchRuleInputs = {
        url: stack.livekit.url,
        name: "it-inbound-calls",
        trunkIds: [trunk.id],
        roomPrefix: "call-",
        agentName: "agent-studio",
      };
      const created = await createChecked(dispatchRuleProvider, rule);
      expect(created.id).toMatch(/^SDR_/);
      const stored = (await sip.listSipDispatchRule({ dispatchRuleIds: [created.id] }))[0];
      expect(stored.trunkIds).toEqual([trunk.id]);
      expect(stored.rule?.rule).toMatchObject({ case: "dispatchRuleIndividual", value: { roomPrefix: "call-" } });
      expect(stored.roomConfig?.agents.map((a) => a.agentName)).toEqual(["agent-studio"]);

      expect((await upAgain(inboundTrunkProvider, trunk.id, trunk.outs, inbound())).diff.changes).toBe(false);
      expect((await upAgain(dispatchRuleProvider, created.id, created.outs, rule)).diff.changes).toBe(false);

      const widened = await upAgain(
        inboundTrunkProvider,
        trunk.id,
        trunk.outs,
        inbound({ allowedAddresses: ["54.172.60.0/30", "54.244.51.0/30"], authUsername: "twilio-in", authPassword: "Inbound-Passw0rd" }),
      );
      expect(widened.diff).toMatchObject({ replaces: [], updates: ["allowedAddresses", "authUsername", "authPassword"] });
      expect((await sip.listSipInboundTrunk({ trunkIds: [trunk.id] }))[0]).toMatchObject({
        allowedAddresses: ["54.172.60.0/30", "54.244.51.0/30"],
        authUsername: "twilio-in",
        authPassword: "Inbound-Passw0rd",
      });

      const renamed = await upAgain(dispatchRuleProvider, created.id, created.outs, { ...rule, agentName: "agent-studio-v2", roomPrefix: "inbound-" });
      expect(renamed.diff).toMatchObject({ replaces: [], updates: ["roomPrefix", "agentName"] });
      const updated = (await sip.listSipDispatchRule({ dispatchRuleIds: [created.id] }))[0];
      expect(updated.roomConfig?.agents.map((a) => a.agentName)).toEqual(["agent-studio-v2"]);
      expect(updated.rule?.rule).toMatchObject({ case: "dispatchRuleIndividual", value: { roomPrefix: "inbound-" } });

      await dispatchRuleProvider.delete(created.id, renamed.outs);
      await inboundTrunkProvider.delete(trunk.id, widened.outs);
      expect(await dispatchRuleProvider.read(created.id, renamed.outs)).toEqual({});
      expect(await inboundTrunkProvider.read(trunk.id, widened.outs)).toEqual({});
      await expect(dispatchRuleProvider.delete(created.id, renamed.outs)).resolves.toBeUndefined();
    }));

  it("bounds inbound calls with the longest call: created with it, changed in place, removed in place", () =>
    stack.withLogs(async () => {
      const stored = async (id: string) => (await sip.listSipInboundTrunk({ trunkIds: [id] }))[0].maxCallDuration?.seconds;
      const trunk = await createChecked(inboundTrunkProvider, inbound({ maxCallDurationSeconds: 1800 }));
      expect(await stored(trunk.id)).toBe(BigInt(1800));
      expect((await inboundTrunkProvider.read(trunk.id, trunk.outs)).props).toMatchObject({ maxCallDurationSeconds: 1800, ringingTimeoutSeconds: 20 });

      const shorter = await upAgain(inboundTrunkProvider, trunk.id, trunk.outs, inbound({ maxCallDurationSeconds: 600 }));
      expect(shorter.diff).toMatchObject({ replaces: [], updates: ["maxCallDurationSeconds"] });
      expect(await stored(trunk.id)).toBe(BigInt(600));

      const unbounded = await upAgain(inboundTrunkProvider, trunk.id, shorter.outs, inbound());
      expect(await stored(trunk.id)).toBeUndefined();
      await inboundTrunkProvider.delete(trunk.id, unbounded.outs);
    }));

  it("keeps an every-number rule and one rule per routed number on one trunk, each naming its agent", () =>
    stack.withLogs(async () => {
      const numbers = ["+15005550011", "+15005550012", "+15005550013"];
      const trunk = await createChecked(inboundTrunkProvider, inbound({ name: "it-inbound-routes", numbers }));
      const rule = (name: string, agentName: string, ruleNumbers?: string[]): DispatchRuleInputs => ({
        url: stack.livekit.url,
        name,
        trunkIds: [trunk.id],
        roomPrefix: "call-",
        agentName,
        ...(ruleNumbers === undefined ? {} : { numbers: ruleNumbers }),
      });
      const everyNumber = await createChecked(dispatchRuleProvider, rule("it-routes-default", "agent-studio"));
      const sales = await createChecked(dispatchRuleProvider, rule("it-routes-sales", "sales-agent", ["+15005550011"]));
      const support = await createChecked(dispatchRuleProvider, rule("it-routes-support", "support-agent", ["+15005550012"]));

      const stored = await sip.listSipDispatchRule({ dispatchRuleIds: [everyNumber.id, sales.id, support.id] });
      const byId = new Map(stored.map((r) => [r.sipDispatchRuleId, r]));
      const route = (id: string) => ({
        trunkIds: byId.get(id)?.trunkIds,
        numbers: byId.get(id)?.numbers,
        agents: byId.get(id)?.roomConfig?.agents.map((a) => a.agentName),
      });
      expect(route(everyNumber.id)).toEqual({ trunkIds: [trunk.id], numbers: [], agents: ["agent-studio"] });
      expect(route(sales.id)).toEqual({ trunkIds: [trunk.id], numbers: ["+15005550011"], agents: ["sales-agent"] });
      expect(route(support.id)).toEqual({ trunkIds: [trunk.id], numbers: ["+15005550012"], agents: ["support-agent"] });

      // livekit-server's own evaluation of a call to each number, as livekit-sip asks it for an INVITE
      // from the carrier's range: each routed number gets its rule and agent, the third the every-number rule.
      const evaluated = (to: string) => {
        const answer = evaluateSipDispatch(stack.redis.address, { to, from: "+14155550100", source: "54.172.60.1" });
        return [answer.result, answer.sipTrunkId, answer.sipDispatchRuleId, answer.roomConfig?.agents?.map((a) => a.agentName)];
      };
      expect(evaluated("+15005550011")).toEqual(["ACCEPT", trunk.id, sales.id, ["sales-agent"]]);
      expect(evaluated("+15005550012")).toEqual(["ACCEPT", trunk.id, support.id, ["support-agent"]]);
      expect(evaluated("+15005550013")).toEqual(["ACCEPT", trunk.id, everyNumber.id, ["agent-studio"]]);

      // A second `pulumi up` reads each rule back as it was declared: no diff, the every-number rule without `numbers`.
      expect((await upAgain(dispatchRuleProvider, everyNumber.id, everyNumber.outs, rule("it-routes-default", "agent-studio"))).refreshed.props).not.toHaveProperty("numbers");
      expect((await upAgain(dispatchRuleProvider, sales.id, sales.outs, rule("it-routes-sales", "sales-agent", ["+15005550011"]))).diff.changes).toBe(false);

      // LiveKit refuses a second rule for a number that already has one on the trunk.
      await expect(createChecked(dispatchRuleProvider, rule("it-routes-sales-again", "other-agent", ["+15005550011"]))).rejects.toThrow(
        /create failed: LiveKit at .* rejected the request \(HTTP 400\): Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists/,
      );

      // Moving a route to another number updates the rule in place.
      const moved = await upAgain(dispatchRuleProvider, support.id, support.outs, rule("it-routes-support", "support-agent", ["+15005550013"]));
      expect(moved.diff).toMatchObject({ replaces: [], updates: ["numbers"] });
      expect((await sip.listSipDispatchRule({ dispatchRuleIds: [support.id] }))[0].numbers).toEqual(["+15005550013"]);
      expect(evaluated("+15005550013")).toEqual(["ACCEPT", trunk.id, support.id, ["support-agent"]]);
      expect(evaluated("+15005550012")).toEqual(["ACCEPT", trunk.id, everyNumber.id, ["agent-studio"]]);

      await dispatchRuleProvider.delete(sales.id, sales.outs);
      await dispatchRuleProvider.delete(support.id, moved.outs);
      await dispatchRuleProvider.delete(everyNumber.id, everyNumber.outs);
      await inboundTrunkProvider.delete(trunk.id, trunk.outs);
      expect(await sip.listSipDispatchRule({ dispatchRuleIds: [everyNumber.id, sales.id, support.id] })).toEqual([]);
    }));

  it("work after Pulumi's closure serialization: create, refresh, update in place, delete", () =>
    stack.withLogs(async () => {
      // Fresh module instances, as in the program process, where `configure` never runs.
      let unconfigured: { inbound?: typeof inboundTrunkProvider; rule?: typeof dispatchRuleProvider } = {};
      jest.isolateModules(() => {
        unconfigured = {
          inbound: require("../../../providers/livekit/inbound-trunk").inboundTrunkProvider,
          rule: require("../../../providers/livekit/dispatch-rule").dispatchRuleProvider,
        };
      });
      const revive = async <P>(provider: P): Promise<P> => {
        const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        expect(serialized.text).not.toContain(stack.livekit.apiSecret);
        const revived: P = require("require-from-string")(serialized.text).handler();
        await (revived as { configure: typeof inboundTrunkProvider.configure }).configure({ config: liveKitStackConfig(stack.livekit) });
        return revived;
      };
      const trunkProvider = await revive(unconfigured.inbound!);
      const ruleProvider = await revive(unconfigured.rule!);

      const trunk = await createChecked(trunkProvider, inbound({ name: "it-inbound-serialized", numbers: ["+15005550021"] }));
      const rule: DispatchRuleInputs = { url: stack.livekit.url, name: "it-serialized-calls", trunkIds: [trunk.id], roomPrefix: "call-", agentName: "agent-studio" };
      const created = await createChecked(ruleProvider, rule);
      expect((await ruleProvider.read(created.id, created.outs)).props).toEqual(created.outs);
      const moved = await upAgain(ruleProvider, created.id, created.outs, { ...rule, roomPrefix: "serialized-" });
      expect(moved.diff).toMatchObject({ replaces: [], updates: ["roomPrefix"] });
      expect((await sip.listSipDispatchRule({ dispatchRuleIds: [created.id] }))[0].rule?.rule).toMatchObject({ value: { roomPrefix: "serialized-" } });

      await ruleProvider.delete(created.id, moved.outs);
      await trunkProvider.delete(trunk.id, trunk.outs);
      expect(await ruleProvider.read(created.id, moved.outs)).toEqual({});
      expect(await trunkProvider.read(trunk.id, trunk.outs)).toEqual({});
    }));

  it("explains LiveKit's refusal of a second trunk for the same numbers", () =>
    stack.withLogs(async () => {
      const first = await createChecked(inboundTrunkProvider, inbound({ name: "it-inbound-a", numbers: ["+15005550008"] }));
      await expect(
        inboundTrunkProvider.create(inbound({ name: "it-inbound-b", numbers: ["+15005550008"] })),
      ).rejects.toThrow(/LiveKit SIP inbound trunk "it-inbound-b": create failed: LiveKit at .* rejected the request \(HTTP 400\): Conflicting inbound SIP Trunks/);
      await inboundTrunkProvider.delete(first.id, first.outs);
    }));
});

// The trunks' `mediaEncryption` (secure trunking's SRTP requirement): stored as the trunk's
// `media.encryption`, read back on refresh, changed in place, and absent on a trunk that never set
// it, so a stack created before the field refreshes without drift.
describe("mediaEncryption on LiveKit's trunks", () => {
  const srtpOutbound = (overrides: Partial<OutboundTrunkInputs>) =>
    outbound({ name: "it-srtp-outbound", numbers: ["+15005550010"], transport: "tls", authUsername: undefined, authPassword: undefined, headers: {}, destinationCountry: undefined, ...overrides });
  const srtpInbound = (overrides: Partial<InboundTrunkInputs>) => inbound({ name: "it-srtp-inbound", numbers: ["+15005550011"], ...overrides });

  it("stores require on the outbound trunk, reads it back, and changes it in place", () =>
    stack.withLogs(async () => {
      const created = await createChecked(outboundTrunkProvider, srtpOutbound({ mediaEncryption: "require" }));
      const [live] = await sip.listSipOutboundTrunk({ trunkIds: [created.id] });
      expect(live.media?.encryption).toBe(2);
      const again = await upAgain(outboundTrunkProvider, created.id, created.outs, srtpOutbound({ mediaEncryption: "allow" }));
      expect(again.refreshed.props?.mediaEncryption).toBe("require");
      expect(again.diff.replaces).toEqual([]);
      expect((await outboundTrunkProvider.read(created.id, again.outs)).props?.mediaEncryption).toBe("allow");
    }));

  it("stores require on the inbound trunk, and leaves a trunk without it unset on refresh (no drift)", () =>
    stack.withLogs(async () => {
      const secure = await createChecked(inboundTrunkProvider, srtpInbound({ mediaEncryption: "require" }));
      expect((await inboundTrunkProvider.read(secure.id, secure.outs)).props?.mediaEncryption).toBe("require");
      const clear = await createChecked(inboundTrunkProvider, srtpInbound({ name: "it-clear-inbound", numbers: ["+15005550012"] }));
      const again = await upAgain(inboundTrunkProvider, clear.id, clear.outs, srtpInbound({ name: "it-clear-inbound", numbers: ["+15005550012"] }));
      expect(again.refreshed.props?.mediaEncryption).toBeUndefined();
      expect(again.diff.changes).toBe(false);
    }));
});

// Last in the file: it empties Redis. Redis's data lost anyway (the boot disk replaced, the volume
// deleted), the providers driven as `pulumi refresh` then `pulumi up` drive them: refresh must see
// every trunk and rule as gone, so the next up creates them again.
describe("LiveKit SIP resources after Redis lost its data", () => {
  const lostRule = (inboundTrunkId: string): DispatchRuleInputs => ({
    url: stack.livekit.url,
    name: "lost-calls",
    trunkIds: [inboundTrunkId],
    roomPrefix: "call-",
    agentName: "agent-studio",
  });

  it("refresh reads each trunk and the rule as gone, and the next up creates them again under new IDs", () =>
    stack.withLogs(async () => {
      const outboundTrunk = await createChecked(outboundTrunkProvider, outbound({ name: "lost-outbound" }));
      const inboundTrunk = await createChecked(inboundTrunkProvider, inbound({ name: "lost-inbound" }));
      const dispatchRule = await createChecked(dispatchRuleProvider, lostRule(inboundTrunk.id));
      // Present before: what refresh keeps in state.
      expect((await outboundTrunkProvider.read(outboundTrunk.id, outboundTrunk.outs)).id).toBe(outboundTrunk.id);

      // A new disk: Redis comes back empty.
      await stack.redis.command("FLUSHALL");
      await stack.redis.restart();

      // `pulumi refresh`: no resource read back, so each leaves the state.
      expect(await outboundTrunkProvider.read(outboundTrunk.id, outboundTrunk.outs)).toEqual({});
      expect(await inboundTrunkProvider.read(inboundTrunk.id, inboundTrunk.outs)).toEqual({});
      expect(await dispatchRuleProvider.read(dispatchRule.id, dispatchRule.outs)).toEqual({});

      // `pulumi up`: created again, each under a new ID; the rule names the new inbound trunk.
      const outboundAgain = await createChecked(outboundTrunkProvider, outbound({ name: "lost-outbound" }));
      const inboundAgain = await createChecked(inboundTrunkProvider, inbound({ name: "lost-inbound" }));
      const ruleAgain = await createChecked(dispatchRuleProvider, lostRule(inboundAgain.id));
      expect(outboundAgain.id).not.toBe(outboundTrunk.id);
      expect(inboundAgain.id).not.toBe(inboundTrunk.id);
      expect(ruleAgain.id).not.toBe(dispatchRule.id);
      expect((await sip.listSipOutboundTrunk()).map((t) => t.sipTrunkId)).toEqual([outboundAgain.id]);
      expect((await sip.listSipInboundTrunk()).map((t) => t.sipTrunkId)).toEqual([inboundAgain.id]);
      expect((await sip.listSipDispatchRule()).map((r) => [r.sipDispatchRuleId, r.trunkIds])).toEqual([[ruleAgain.id, [inboundAgain.id]]]);
    }));
});
