import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { RawConfig } from "../../components/config";
import { configFields as fields } from "../../components/config/fields";

/**
 * Stand-ins for secrets the plan cannot have: it has no stack key to decrypt a `secure:` value,
 * and a committed stack file holds no secret at all. Each passes config validation, so the plan
 * renders every file; none is a working credential.
 */
const secretPlaceholders: Record<string, string> = {
  [fields.livekitApiSecret.key]: "plan-placeholder-livekit-api-secret-000000",
  [fields.twilioAuthToken.key]: "00000000000000000000000000000000",
  [fields.twilioApiKeySecret.key]: "PlanPlaceholderApiKeySecret00000",
  [fields.sipPassword.key]: "Plan-Placeholder-Passw0rd",
  [fields.openaiApiKey.key]: "sk-plan-placeholder-openai-000000",
  [fields.deepgramApiKey.key]: "PlanPlaceholderDeepgram0000000000000000",
};

const genericPlaceholder = "plan-placeholder-secret";

/** A secret the plan stands in for, and why it has no real value. */
export interface PlaceholderSecret {
  key: string;
  reason: "encrypted" | "not in the stack file";
}

/** A stack file's config as the program would see it, with the secrets the plan stood in for. */
export interface StackFileConfig extends RawConfig {
  /** Every secret replaced by a placeholder, sorted by key. */
  placeholders: PlaceholderSecret[];
}

/**
 * Reads `Pulumi.<stack>.yaml` into config as the Pulumi CLI would hand it to the program: scalars
 * as strings, lists and maps as JSON text, `secure:` values as secrets (here, placeholders). The
 * secrets every stack needs but the file does not hold (the committed example holds none) are
 * added as placeholders too: the LiveKit API secret, the SIP password, and the Twilio auth token,
 * or the API key secret when the file chooses the API key pair.
 */
export function readStackFile(file: string): StackFileConfig {
  const document = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const placeholders: PlaceholderSecret[] = [];
  const standIn = (key: string, reason: PlaceholderSecret["reason"]) => {
    values[key] = secretPlaceholders[key] ?? genericPlaceholder;
    secretKeys.add(key);
    placeholders.push({ key, reason });
  };
  for (const [key, value] of Object.entries(document?.config ?? {})) {
    if (isSecure(value)) standIn(key, "encrypted");
    else values[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  for (const key of requiredSecrets(values)) {
    if (values[key] === undefined) standIn(key, "not in the stack file");
  }
  placeholders.sort((a, b) => a.key.localeCompare(b.key));
  return { values, secretKeys, placeholders };
}

/** The secret keys a stack must hold, given its Twilio credential choice. */
function requiredSecrets(values: Record<string, string>): string[] {
  const usesApiKey = values[fields.twilioApiKeySid.key] !== undefined || values[fields.twilioApiKeySecret.key] !== undefined;
  return [fields.livekitApiSecret.key, fields.sipPassword.key, usesApiKey ? fields.twilioApiKeySecret.key : fields.twilioAuthToken.key];
}

function isSecure(value: unknown): value is { secure: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}
