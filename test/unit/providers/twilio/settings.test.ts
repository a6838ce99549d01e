import { staticProviderConfig } from "../../../../providers/base";
import { connectTwilio } from "../../../../providers/twilio";

const project = "agent-studio-voice";
const accountSid = `AC${"1".repeat(32)}`;
const connect = (values: Record<string, string>) =>
  connectTwilio(staticProviderConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [`${project}:${k}`, v])), project));

describe("Twilio credentials from stack config", () => {
  it("uses the account SID and auth token", () => {
    const settings = connect({ twilioAccountSid: accountSid, twilioAuthToken: "tok-secret-1" });
    expect(settings.accountSid).toBe(accountSid);
    expect(settings.authSecret).toBe("tok-secret-1");
    expect(settings.client.accountSid).toBe(accountSid);
  });

  it("prefers an API key pair when one is configured", () => {
    const settings = connect({ twilioAccountSid: accountSid, twilioApiKeySid: `SK${"2".repeat(32)}`, twilioApiKeySecret: "key-secret-1" });
    expect(settings.authSecret).toBe("key-secret-1");
    expect(settings.client.username).toBe(`SK${"2".repeat(32)}`);
  });

  it("names the missing keys and the commands that set them", () => {
    expect(() => connect({})).toThrow('Missing stack config "twilioAccountSid": set it with `pulumi config set twilioAccountSid AC0123456789abcdef0123456789abcdef`.');
    expect(() => connect({ twilioAccountSid: accountSid })).toThrow(/pulumi config set --secret twilioAuthToken <token>.*twilioApiKeySid/);
    expect(() => connect({ twilioAccountSid: accountSid, twilioApiKeySid: `SK${"2".repeat(32)}` })).toThrow(
      /twilioApiKeySecret.*pulumi config set --secret twilioApiKeySecret/,
    );
  });

  it("rejects malformed SIDs and non-loopback API overrides", () => {
    expect(() => connect({ twilioAccountSid: "AC123", twilioAuthToken: "t0ken-secret" })).toThrow(/"AC" followed by 32 hex digits/);
    expect(() => connect({ twilioAccountSid: accountSid, twilioApiKeySid: "AK1", twilioApiKeySecret: "s3cret-key" })).toThrow(/"SK" followed by 32 hex digits/);
    expect(() => connect({ twilioAccountSid: accountSid, twilioAuthToken: "t0ken-secret", twilioApiBaseUrl: "https://example.com" })).toThrow(
      /twilioApiBaseUrl.*not a loopback.*pulumi config rm twilioApiBaseUrl/,
    );
  });
});
