/**
 * Twilio credentials and client, built in the dynamic provider's `configure` step from stack
 * config (project namespace `agent-studio-voice`). Nothing here is captured at serialization.
 */
import type { Twilio } from "twilio";
import { optionalConfig, requireConfig, type ProviderConfig } from "../base";
import { apiBaseUrlProblem, createHttpClient } from "./http-client";
import { ACCOUNT_SID_PATTERN, API_KEY_SID_PATTERN } from "./rules";

/** Stack config keys the Twilio providers read. */
const TWILIO_CONFIG_KEYS = {
  /** Account SID (`AC…`), plain. */
  accountSid: "twilioAccountSid",
  /** Auth token, secret; or use an API key pair. */
  authToken: "twilioAuthToken",
  /** API key SID (`SK…`), plain; used with `twilioApiKeySecret` instead of the auth token. */
  apiKeySid: "twilioApiKeySid",
  /** API key secret, secret. */
  apiKeySecret: "twilioApiKeySecret",
  /** Test seam: loopback base URL of a fake Twilio API. Never set in real stacks. */
  apiBaseUrl: "twilioApiBaseUrl",
} as const;

/** What every Twilio provider method works with. */
export interface TwilioSettings {
  /** The account that owns every resource. */
  accountSid: string;
  /** The secret half of the credentials in use (auth token or API key secret), kept for redaction. */
  authSecret: string;
  /** SDK client, authenticated and pointed at Twilio (or the loopback fake). */
  client: Twilio;
}

/** Builds {@link TwilioSettings} from stack config; throws one message per problem naming the key and the fix. */
export function connectTwilio(config: ProviderConfig): TwilioSettings {
  const accountSid = requireConfig(config, TWILIO_CONFIG_KEYS.accountSid, { example: "AC0123456789abcdef0123456789abcdef" });
  if (!ACCOUNT_SID_PATTERN.test(accountSid)) {
    throw new Error(`Stack config "${TWILIO_CONFIG_KEYS.accountSid}" must be "AC" followed by 32 hex digits (Twilio Console › Account info).`);
  }
  const apiKeySid = optionalConfig(config, TWILIO_CONFIG_KEYS.apiKeySid);
  const authToken = optionalConfig(config, TWILIO_CONFIG_KEYS.authToken);
  let username: string;
  let authSecret: string;
  if (apiKeySid !== undefined) {
    if (!API_KEY_SID_PATTERN.test(apiKeySid)) {
      throw new Error(`Stack config "${TWILIO_CONFIG_KEYS.apiKeySid}" must be "SK" followed by 32 hex digits.`);
    }
    username = apiKeySid;
    authSecret = requireConfig(config, TWILIO_CONFIG_KEYS.apiKeySecret, { secret: true });
  } else if (authToken !== undefined) {
    username = accountSid;
    authSecret = authToken;
  } else {
    throw new Error(
      `Missing Twilio credentials: set \`pulumi config set --secret ${TWILIO_CONFIG_KEYS.authToken} <token>\`, or an API key with ` +
        `\`pulumi config set ${TWILIO_CONFIG_KEYS.apiKeySid} SK…\` and \`pulumi config set --secret ${TWILIO_CONFIG_KEYS.apiKeySecret} <secret>\`.`,
    );
  }
  const apiBaseUrl = optionalConfig(config, TWILIO_CONFIG_KEYS.apiBaseUrl);
  const baseUrlProblem = apiBaseUrl === undefined ? undefined : apiBaseUrlProblem(apiBaseUrl);
  if (baseUrlProblem !== undefined) {
    throw new Error(`Stack config "${TWILIO_CONFIG_KEYS.apiBaseUrl}": ${baseUrlProblem}. Remove it: \`pulumi config rm ${TWILIO_CONFIG_KEYS.apiBaseUrl}\`.`);
  }
  const twilio = require("twilio") as typeof import("twilio");
  const client = twilio(username, authSecret, { accountSid, httpClient: createHttpClient(apiBaseUrl) });
  return { accountSid, authSecret, client };
}
