/**
 * What a SIP credential rotation touches, proved on the whole program under Pulumi's mocks: the
 * stack config changes exactly as `npm run rotate-sip-credentials` changes it, and the inputs every
 * resource receives are compared with an unchanged run.
 */
import { LiveKitSipOutboundTrunk } from "../../../../providers/livekit";
import { Credential, credentialProvider, passwordHash } from "../../../../providers/twilio/credential";
import type { OfflineRun } from "../../../../scripts/plan/run-offline";
import { sipConfigKeys } from "../../../../scripts/rotation/rotate";
import { nextSipUsername } from "../../../../scripts/rotation/sip-username";
import { runProgram, stackConfig } from "../../../utils/offline-program";

const rotatedPassword = "Rotated-Passw0rd-0123456789abcd";

/** Every custom resource's inputs, keyed by type and name. */
function inputsByResource(run: OfflineRun): Map<string, string> {
  return new Map(run.monitor.resources.filter((r) => r.custom).map((r) => [`${r.type}::${r.name}`, JSON.stringify(r.inputs)]));
}

/** Resources whose inputs differ between two runs, or that exist in only one of them. */
function changedResources(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

const typeOf = (key: string) => key.split("::")[0];

describe("rotating the SIP credentials (whole program under mocks, Pulumi.prod.yaml)", () => {
  let base: OfflineRun;
  let baseInputs: Map<string, string>;
  beforeAll(async () => {
    base = await runProgram(stackConfig("prod"));
    baseInputs = inputsByResource(base);
  }, 60_000);

  it("the stack has exactly one Twilio credential and one LiveKit outbound trunk, the resources the script targets", () => {
    expect(base.monitor.ofType(Credential.typeToken)).toHaveLength(1);
    expect(base.monitor.ofType(LiveKitSipOutboundTrunk.typeToken)).toHaveLength(1);
  });

  it("a new sipPassword changes exactly the Twilio credential and the LiveKit outbound trunk: no VM, firewall or deployment step", async () => {
    const rotated = await runProgram(stackConfig("prod", { [sipConfigKeys.password]: rotatedPassword }));
    const changed = changedResources(baseInputs, inputsByResource(rotated));
    expect(changed.map(typeOf)).toEqual([Credential.typeToken, LiveKitSipOutboundTrunk.typeToken].sort());
    expect(changed.filter((key) => key.startsWith("gcp:") || key.startsWith("command:"))).toEqual([]);

    const credential = rotated.monitor.ofType(Credential.typeToken)[0];
    const trunk = rotated.monitor.ofType(LiveKitSipOutboundTrunk.typeToken)[0];
    expect(credential.inputs.password).toBe(rotatedPassword);
    expect(trunk.inputs.authPassword).toBe(rotatedPassword);
    expect(credential.secretInputs).toContain("password");
    expect(trunk.secretInputs).toContain("authPassword");
  }, 60_000);

  it("the script's change (next username slot and a new password) touches the same two resources, and LiveKit authenticates as the new username", async () => {
    const current = base.monitor.ofType(Credential.typeToken)[0].inputs.username as string;
    const username = nextSipUsername(current);
    const rotated = await runProgram(stackConfig("prod", { [sipConfigKeys.username]: username, [sipConfigKeys.password]: rotatedPassword }));
    const changed = changedResources(baseInputs, inputsByResource(rotated));
    expect(changed.map(typeOf)).toEqual([Credential.typeToken, LiveKitSipOutboundTrunk.typeToken].sort());
    expect(rotated.monitor.ofType(Credential.typeToken)[0].inputs).toMatchObject({ username, password: rotatedPassword });
    expect(rotated.monitor.ofType(LiveKitSipOutboundTrunk.typeToken)[0].inputs).toMatchObject({ authUsername: username, authPassword: rotatedPassword });
  }, 60_000);
});

describe("the Twilio credential's diff, which the rotation's no-refused-call design relies on", () => {
  const sid = "CR00000000000000000000000000000000";
  const olds = {
    credentialListSid: "CL00000000000000000000000000000000",
    username: "livekit-prod-a",
    password: "Old-Passw0rd-123",
    sid,
    passwordHash: passwordHash(sid, "Old-Passw0rd-123"),
    dateUpdated: "2025-01-01T00:00:00.000Z",
  };

  it("replaces the credential create-before-delete when the username changes, so old and new coexist", async () => {
    const diff = await credentialProvider.diff(sid, olds, { credentialListSid: olds.credentialListSid, username: "livekit-prod-b", password: rotatedPassword });
    expect(diff.replaces).toEqual(["username"]);
    expect(diff.deleteBeforeReplace).toBeFalsy();
  });

  it("updates the password in place when only the password changes", async () => {
    const diff = await credentialProvider.diff(sid, olds, { credentialListSid: olds.credentialListSid, username: olds.username, password: rotatedPassword });
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual([]);
  });
});
