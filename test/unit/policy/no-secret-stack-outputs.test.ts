import { stackType, validateNoSecretStackOutputs } from "../../../policy/no-secret-stack-outputs";
import { stackVerdict, stackViolations, unknownString } from "../../utils/policy-args";

const stack = (outputs: Record<string, unknown>) => [
  { type: stackType, name: "agent-studio-voice-prod", props: outputs },
  { type: "gcp:compute/address:Address", name: "ip", props: { apiSecret: "not an output" } },
];
const check = (outputs: Record<string, unknown>) => stackViolations(validateNoSecretStackOutputs, stack(outputs));

describe("policy no-secret-stack-outputs", () => {
  it("passes public outputs", async () => {
    expect(
      await check({
        staticIp: "203.0.113.10",
        wssUrl: "wss://voice.example.com",
        sshHostKey: "ssh-ed25519 AAAAC3Nza",
        runtimeFileHashes: { livekit: "a".repeat(64) },
      }),
    ).toEqual([]);
  });

  it("flags an output named like a secret, on the stack's URN, whatever its marking", async () => {
    const violations = await check({ livekitApiSecret: "whatever-it-is" });
    expect(violations).toEqual([
      { message: expect.stringContaining("Stack output livekitApiSecret is named like a secret"), urn: expect.stringContaining(stackType) },
    ]);
    expect(violations[0].message).not.toContain("whatever-it-is");
  });

  it("flags nested secret keys and outputs holding a rendered secret or a private key", async () => {
    expect(await check({ twilio: { trunkSid: "TK1", authToken: "0123" } })).toEqual([
      expect.objectContaining({ message: expect.stringContaining("twilio.authToken is named like a secret") }),
    ]);
    expect(await check({ sipConfig: "ws_url: ws://127.0.0.1:7880\napi_secret: s3cretS3cretS3cretS3cretS3cretS3cret\n" })).toEqual([
      expect.objectContaining({ message: expect.stringContaining("sipConfig holds a value for api_secret") }),
    ]);
    expect(await check({ deployKey: "-----BEGIN OPENSSH PRIVATE KEY-----\n" })).toEqual([
      expect.objectContaining({ message: expect.stringContaining("deployKey holds a private key") }),
    ]);
  });

  it("at preview, judges names of outputs not known yet and names them as checked at the update", async () => {
    const verdict = await stackVerdict(validateNoSecretStackOutputs, stack({ wssUrl: "wss://v", dispatchRuleId: unknownString, sipPassword: unknownString, twilio: { authToken: unknownString } }));
    expect(verdict.violations).toEqual([
      expect.stringContaining("Stack output sipPassword is named like a secret"),
      expect.stringContaining("Stack output twilio.authToken is named like a secret"),
    ]);
    expect(verdict.deferred).toEqual([
      "Deferred to the update: stack outputs dispatchRuleId, sipPassword, twilio.authToken are not known until the update. " +
        "Names are judged now; values are checked then for a private key, a URL password or a secret-named assignment.",
    ]);
  });
});
