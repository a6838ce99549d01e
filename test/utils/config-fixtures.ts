import type { RawConfig } from "../../components/config";
import { projectNamespace as ns } from "../../components/config/fields";

/** A complete, valid raw config (as Pulumi hands it to the program) with its secrets marked. */
export function validRawValues(): Record<string, string> {
  return {
    "gcp:project": "agent-studio-voice-test",
    "gcp:region": "us-central1",
    "gcp:zone": "us-central1-a",
    [`${ns}:domain`]: "voice.example.com",
    [`${ns}:adminCidrs`]: JSON.stringify(["198.51.100.0/24"]),
    [`${ns}:livekitApiKey`]: "APItestkey",
    [`${ns}:livekitApiSecret`]: "s3cretS3cretS3cretS3cretS3cretS3cret",
    [`${ns}:twilioAccountSid`]: "AC0123456789abcdef0123456789abcdef",
    [`${ns}:twilioAuthToken`]: "0123456789abcdef0123456789abcdef",
    [`${ns}:twilioTrunkDomain`]: "agent-studio-test.pstn.twilio.com",
    [`${ns}:phoneNumbers`]: JSON.stringify(["+15005550006"]),
    [`${ns}:sipUsername`]: "livekit-test",
    [`${ns}:sipPassword`]: "Sip-Passw0rd-Test",
    [`${ns}:alertChannels`]: JSON.stringify(["oncall@example.com"]),
  };
}

/** Keys stored as secrets in {@link validRawValues}. */
export const secretKeys = [`${ns}:livekitApiSecret`, `${ns}:twilioAuthToken`, `${ns}:sipPassword`];

/** A raw config built from {@link validRawValues} with overrides (`undefined` removes a key). */
export function rawConfig(overrides: Record<string, string | undefined> = {}, secrets: string[] = secretKeys): RawConfig {
  const values: Record<string, string> = validRawValues();
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete values[k];
    else values[k] = v;
  }
  return { values, secretKeys: new Set(secrets) };
}

/** `agent-studio-voice:<name>`. */
export const key = (name: string): string => `${ns}:${name}`;
