import { projectNamespace } from "../../components/config/fields";
import { createHttpClient } from "../../providers/twilio/http-client";
import type { PulumiCli } from "../pulumi-cli";

/** How `npm run call --inbound` signs in to Twilio: the account and either its auth token or an API key pair. */
export type TwilioLogin =
  | { accountSid: string; authToken: string }
  | { accountSid: string; apiKeySid: string; apiKeySecret: string };

/** The one Twilio call this script makes, as the `twilio` client's `calls.create` takes it. */
export interface TwilioCallRequest {
  to: string;
  from: string;
  twiml: string;
  /** Seconds Twilio lets the stack's number ring before giving up. */
  timeout: number;
}

/** The part of the `twilio` client the script uses; tests pass a stub. */
export interface TwilioCalls {
  create(request: TwilioCallRequest): Promise<{ sid: string; status: string }>;
  fetch(sid: string): Promise<{ status: string }>;
}

/**
 * The call Twilio places: from the caller's number to the stack's number (Twilio sends it on to
 * the stack's origination URL, as it does any call to that number). Once the stack answers, the
 * TwiML keeps the caller's side silent for `holdSeconds` then hangs up: the agent talks to a quiet
 * line, and the call ends by the caller's BYE as a real one does.
 */
export function twilioCallRequest(to: string, from: string, holdSeconds: number, ringSeconds: number): TwilioCallRequest {
  return { to, from, twiml: `<Response><Pause length="${holdSeconds}"/><Hangup/></Response>`, timeout: ringSeconds };
}

/** The `twilio` client's calls API, signed in with `login`; `apiBaseUrl` sends it to a loopback test endpoint instead. */
export function twilioCalls(login: TwilioLogin, apiBaseUrl?: string): TwilioCalls {
  const twilio = require("twilio") as typeof import("twilio");
  const httpClient = createHttpClient(apiBaseUrl);
  const client =
    "authToken" in login
      ? twilio(login.accountSid, login.authToken, { httpClient })
      : twilio(login.apiKeySid, login.apiKeySecret, { accountSid: login.accountSid, httpClient });
  return {
    create: async (request) => {
      const call = await client.calls.create(request);
      return { sid: call.sid, status: call.status };
    },
    fetch: async (sid) => ({ status: (await client.calls(sid).fetch()).status }),
  };
}

/**
 * The Twilio login: the account SID and auth token given (flags or environment) first, else the
 * stack's config (`twilioAccountSid`, and `twilioAuthToken` or the `twilioApiKeySid` /
 * `twilioApiKeySecret` pair), read with `pulumi config get`, which decrypts secrets in memory only.
 * Throws naming what is missing and how to give it.
 */
export async function readTwilioLogin(given: { accountSid?: string; authToken?: string }, cli: PulumiCli | undefined, stack: string | undefined): Promise<TwilioLogin> {
  const fromStack = async (key: string): Promise<string | undefined> => {
    if (cli === undefined || stack === undefined) return undefined;
    // A key the stack does not set makes `pulumi config get` fail: that key is simply absent.
    const value = await cli(["config", "get", `${projectNamespace}:${key}`, "--stack", stack]).then((out) => out.trim(), () => "");
    return value === "" ? undefined : value;
  };
  const accountSid = given.accountSid ?? (await fromStack("twilioAccountSid"));
  const authToken = given.authToken ?? (given.accountSid === undefined ? await fromStack("twilioAuthToken") : undefined);
  if (accountSid !== undefined && authToken !== undefined) return { accountSid, authToken };
  const apiKeySid = await fromStack("twilioApiKeySid");
  const apiKeySecret = await fromStack("twilioApiKeySecret");
  if (accountSid !== undefined && apiKeySid !== undefined && apiKeySecret !== undefined) return { accountSid, apiKeySid, apiKeySecret };
  const missing = [
    accountSid === undefined && "the Twilio account SID (--twilio-account-sid or TWILIO_ACCOUNT_SID, or the stack config twilioAccountSid)",
    "the Twilio auth token (TWILIO_AUTH_TOKEN, or the stack config twilioAuthToken or twilioApiKeySid/twilioApiKeySecret)",
  ].filter((item): item is string => item !== false);
  throw new Error(`calling in through Twilio needs ${missing.join(" and ")}; or call livekit-sip directly with --sip <host:port>`);
}
