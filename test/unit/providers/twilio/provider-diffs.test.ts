import { credentialProvider, driftMarker, passwordHash, trunkProvider, type TrunkInputs } from "../../../../providers/twilio";

const trunk: TrunkInputs & { sid: string; accountSid: string } = {
  friendlyName: "voice",
  domainName: "a.pstn.twilio.com",
  secure: false,
  cnamLookupEnabled: false,
  transferMode: "disable-all",
  disasterRecoveryUrl: "https://example.com/dr",
  disasterRecoveryMethod: "POST",
  sid: `TK${"1".repeat(32)}`,
  accountSid: `AC${"1".repeat(32)}`,
};

describe("trunk diff", () => {
  it("updates every trunk field in place", async () => {
    const news = { ...trunk, friendlyName: "renamed", secure: true, transferMode: "sip-only" as const };
    expect(await trunkProvider.diff(trunk.sid, trunk, news)).toEqual({
      changes: true,
      replaces: [],
      updates: ["friendlyName", "secure", "transferMode"],
      deleteBeforeReplace: false,
    });
  });

  it("replaces (deleting first, to free the domain) only to clear the disaster-recovery URL", async () => {
    const { disasterRecoveryUrl: _url, disasterRecoveryMethod: _method, ...cleared } = trunk;
    expect(await trunkProvider.diff(trunk.sid, trunk, cleared)).toEqual({
      changes: true,
      replaces: ["disasterRecoveryUrl"],
      updates: [],
      deleteBeforeReplace: true,
    });
  });
});

describe("credential diff", () => {
  const sid = `CR${"2".repeat(32)}`;
  const olds = {
    credentialListSid: `CL${"3".repeat(32)}`,
    username: "livekit",
    password: "FirstPassw0rdXyz",
    sid,
    passwordHash: passwordHash(sid, "FirstPassw0rdXyz"),
    dateUpdated: "2026-01-05T10:00:00.000Z",
  };

  it("sees no change when the password hashes the same", async () => {
    expect(await credentialProvider.diff(sid, olds, { ...olds })).toMatchObject({ changes: false });
  });

  it("rotates the password in place and replaces on a new username or list", async () => {
    expect(await credentialProvider.diff(sid, olds, { ...olds, password: "SecondPassw0rd" })).toMatchObject({ changes: true, replaces: [], updates: ["password"] });
    expect(await credentialProvider.diff(sid, olds, { ...olds, username: "other" })).toMatchObject({ replaces: ["username"] });
    expect(await credentialProvider.diff(sid, olds, { ...olds, credentialListSid: `CL${"4".repeat(32)}` })).toMatchObject({ replaces: ["credentialListSid"] });
  });

  it("resets the password when refresh found it changed outside Pulumi", async () => {
    const drifted = { ...olds, passwordHash: driftMarker("2026-02-01T00:00:00.000Z") };
    expect(await credentialProvider.diff(sid, drifted, { ...olds })).toMatchObject({ changes: true, updates: ["password"] });
  });

  it("keys the hash by SID so equal passwords on different credentials hash differently", () => {
    expect(passwordHash(sid, "p")).not.toBe(passwordHash(`CR${"9".repeat(32)}`, "p"));
  });
});
