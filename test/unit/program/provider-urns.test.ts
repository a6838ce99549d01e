/**
 * The dynamic resources' type tokens and URNs are part of every deployed stack's state: a changed
 * token, name or parent makes `pulumi up` delete the live trunk (or rule, or number association) and
 * create another. These are the URNs the prod stack's resources had when the providers were folded
 * into one definition per resource kind; they must stay as they are (or move with `aliases`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as livekit from "../../../providers/livekit";
import * as twilio from "../../../providers/twilio";
import { freshStackPreview } from "../../../scripts/plan/mock-monitor";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { runProgram, stackConfig } from "../../utils/offline-program";
import { promiseOf } from "../../utils/pulumi-mocks";

const stackUrn = "urn:pulumi:prod::agent-studio-voice";

const providerResourceUrns = [
  `${stackUrn}::agent-studio:livekit:LiveKitSipTrunks$pulumi-nodejs:dynamic/livekit:SipDispatchRule::voice-sip-dispatch-rule`,
  `${stackUrn}::agent-studio:livekit:LiveKitSipTrunks$pulumi-nodejs:dynamic/livekit:SipInboundTrunk::voice-sip-inbound-trunk`,
  `${stackUrn}::agent-studio:livekit:LiveKitSipTrunks$pulumi-nodejs:dynamic/livekit:SipOutboundTrunk::voice-sip-outbound-trunk`,
  `${stackUrn}::agent-studio:twilio:TwilioSipTrunk$pulumi-nodejs:dynamic/twilio:Credential::voice-twilio-credential`,
  `${stackUrn}::agent-studio:twilio:TwilioSipTrunk$pulumi-nodejs:dynamic/twilio:CredentialList::voice-twilio-credential-list`,
  `${stackUrn}::agent-studio:twilio:TwilioSipTrunk$pulumi-nodejs:dynamic/twilio:OriginationUrl::voice-twilio-origination-0`,
  `${stackUrn}::agent-studio:twilio:TwilioSipTrunk$pulumi-nodejs:dynamic/twilio:Trunk::voice-twilio-trunk`,
  `${stackUrn}::agent-studio:twilio:TwilioSipTrunk$pulumi-nodejs:dynamic/twilio:TrunkCredentialList::voice-twilio-termination-auth`,
  `${stackUrn}::agent-studio:twilio:TwilioSipTrunk$pulumi-nodejs:dynamic/twilio:TrunkPhoneNumber::voice-twilio-number-15005550006`,
];

/** The URN Pulumi gives each dynamic-provider resource of the run, from its name, type and parent chain. */
async function providerUrns(run: OfflineRun): Promise<string[]> {
  const typeOf = new Map(run.monitor.resources.map((r) => [r.name, r.type]));
  const urnOf = (name: string): pulumi.Output<string> => {
    const parent = run.parents.get(name);
    return pulumi.createUrn(name, typeOf.get(name)!, parent === undefined ? undefined : urnOf(parent), "agent-studio-voice", "prod");
  };
  const dynamic = run.monitor.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
  return (await Promise.all(dynamic.map((r) => promiseOf(urnOf(r.name))))).sort();
}

describe("the provider resources' identity in the prod stack", () => {
  it.each([
    ["an update", {}],
    ["a preview of a fresh stack", { preview: freshStackPreview }],
  ])("keeps every provider resource's URN in %s", async (_mode, options) => {
    const run = await runProgram(stackConfig("prod"), "prod", options);
    expect(await providerUrns(run)).toEqual(providerResourceUrns);
  }, 180_000);

  it("keeps the type token of every provider resource class, including those the prod stack does not use", () => {
    const classes = [
      livekit.LiveKitSipDispatchRule,
      livekit.LiveKitSipInboundTrunk,
      livekit.LiveKitSipOutboundTrunk,
      twilio.Credential,
      twilio.CredentialList,
      twilio.IpAccessControlList,
      twilio.OriginationUrl,
      twilio.OriginationUrlSwitch,
      twilio.Trunk,
      twilio.TrunkCredentialList,
      twilio.TrunkIpAccessControlList,
      twilio.TrunkPhoneNumber,
    ];
    expect(classes.map((c) => c.typeToken)).toEqual([
      "pulumi-nodejs:dynamic/livekit:SipDispatchRule",
      "pulumi-nodejs:dynamic/livekit:SipInboundTrunk",
      "pulumi-nodejs:dynamic/livekit:SipOutboundTrunk",
      "pulumi-nodejs:dynamic/twilio:Credential",
      "pulumi-nodejs:dynamic/twilio:CredentialList",
      "pulumi-nodejs:dynamic/twilio:IpAccessControlList",
      "pulumi-nodejs:dynamic/twilio:OriginationUrl",
      "pulumi-nodejs:dynamic/twilio:OriginationUrlSwitch",
      "pulumi-nodejs:dynamic/twilio:Trunk",
      "pulumi-nodejs:dynamic/twilio:TrunkCredentialList",
      "pulumi-nodejs:dynamic/twilio:TrunkIpAccessControlList",
      "pulumi-nodejs:dynamic/twilio:TrunkPhoneNumber",
    ]);
  });
});
