import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { RawConfig } from "../../components/config";

/**
 * Stand-ins for secrets the plan cannot decrypt (it has no stack key). Each passes config
 * validation, so the plan renders every file; none is a working credential.
 */
const secretPlaceholders: Record<string, string> = {
  "agent-studio-voice:livekitApiSecret": "plan-placeholder-livekit-api-secret-000000",
  "agent-studio-voice:twilioAuthToken": "00000000000000000000000000000000",
  "agent-studio-voice:twilioApiKeySecret": "PlanPlaceholderApiKeySecret00000",
  "agent-studio-voice:sipPassword": "Plan-Placeholder-Passw0rd",
  "agent-studio-voice:openaiApiKey": "sk-plan-placeholder-openai-000000",
  "agent-studio-voice:deepgramApiKey": "PlanPlaceholderDeepgram0000000000000000",
};

const genericPlaceholder = "plan-placeholder-secret";

/**
 * Reads `Pulumi.<stack>.yaml` into config as the Pulumi CLI would hand it to the program: scalars
 * as strings, lists and maps as JSON text, `secure:` values as secrets (here, placeholders).
 */
export function readStackFile(file: string): RawConfig {
  const document = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(document?.config ?? {})) {
    if (isSecure(value)) {
      values[key] = secretPlaceholders[key] ?? genericPlaceholder;
      secretKeys.add(key);
    } else {
      values[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { values, secretKeys };
}

function isSecure(value: unknown): value is { secure: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}
