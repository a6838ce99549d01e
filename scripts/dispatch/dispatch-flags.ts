import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { stringFlags } from "../cli-args";
import { apiUrlProblem } from "../../providers/livekit/api-url";
import { apiBaseUrlProblem } from "../../providers/twilio/http-client";
import { agentNameProblem, e164Problem } from "../../providers/livekit/sip-values";
import { configFields } from "../../components/config/fields";

/** Agent name the worker registers when the stack config sets none (`agentName`'s default). */
export const defaultAgentName = configFields.agentName.default;

/** Seconds to wait for the call's outcome when `--timeout` is not given: ringing (30 s by default) plus setup. */
export const defaultTimeoutSeconds = 90;

/** The call to place: the job metadata the worker receives, and how long to wait for its outcome. */
export interface CallRequest {
  /** The callee, E.164. */
  phoneNumber: string;
  /** The call's ID: the job's `call_id` and the room's name. */
  callId: string;
  /** Number shown to the callee. Defaults to the worker's default (or the trunk's number). */
  callerId?: string;
  /** Agent Studio agent identifier carried into the worker's logs. Defaults to none. */
  agent?: string;
  /** Seconds to wait for a worker to take the job and report the outcome. */
  timeoutSeconds: number;
}

/** How a test call is sent into the stack: straight to livekit-sip with sipp, or by Twilio to the stack's number. */
export type InboundRoute =
  | {
      kind: "sip";
      /** livekit-sip's SIP address, `host:port` (the stack's origination address). */
      address: string;
      /** Local address sipp sends from and the caller's RTP endpoint binds: must be one the inbound trunk allows. */
      source: string;
    }
  | {
      kind: "twilio";
      /** Twilio account SID (`AC...`); from --twilio-account-sid, TWILIO_ACCOUNT_SID or the stack config. */
      accountSid?: string;
      /** Twilio auth token; from TWILIO_AUTH_TOKEN or the stack config. */
      authToken?: string;
      /** A loopback Twilio-compatible endpoint to use instead of api.twilio.com (tests, like the doctor's). */
      apiBaseUrl?: string;
    };

/** A test call INTO the stack, as a carrier would send it. */
export interface InboundRequest {
  /** The stack's number dialled, E.164. */
  to: string;
  /** The caller's number, E.164 (with Twilio: a Twilio number or a caller ID verified on the account). */
  from: string;
  /** How the call is sent. */
  route: InboundRoute;
  /** Seconds the caller stays on the line once answered, then hangs up. */
  holdSeconds: number;
  /** Seconds to wait for the call's room to appear and the worker's outcome. */
  timeoutSeconds: number;
}

/** Seconds an inbound test call stays on the line once answered, when `--hold` is not given. */
export const defaultHoldSeconds = 10;

/** Where the call is placed: a LiveKit server, its key pair and the worker's agent name. */
export interface CallTarget {
  /** LiveKit API URL, `https://<domain>` (plain http to loopback only). */
  apiUrl: string;
  /** LiveKit API key. */
  apiKey: string;
  /** LiveKit API secret. */
  apiSecret: string;
  /** `agent_name` of the worker the job is dispatched to. */
  agentName: string;
}

/** The command line, read. */
export type DispatchFlags =
  | { help: true }
  | {
      help: false;
      /** The outbound call to place (its phone number is the callee); unused with `inbound`. */
      request: CallRequest;
      /** With `--inbound`: the call to send into the stack instead. */
      inbound?: InboundRequest;
      /** Read the target from this stack's outputs and config. */
      stack?: string;
      /** The target given explicitly (all of it when `stack` is unset; only overrides otherwise). */
      target: Partial<CallTarget>;
      /** Print a JSON summary as the last line. */
      json: boolean;
      /** Warnings for the user (e.g. a secret given on the command line). */
      warnings: string[];
    };

/** The usage text. */
export const dispatchUsage = `usage: npm run call -- <phone number> --stack <name> [options]
       LIVEKIT_API_SECRET=... npm run call -- <phone number> --url <https://domain> --key <api key> [options]
       npm run call -- --inbound <stack number> --from <your number> --stack <name> [options]
       LIVEKIT_API_SECRET=... npm run call -- --inbound <stack number> --from <number> --sip <host:port> --url <url> --key <key> [options]
Places a test call the way a backend does: creates a room, dispatches the agent worker into it with
{"phone_number", "call_id"} metadata, then prints the worker's progress and the call's outcome.
With --inbound, calls INTO the stack as a carrier would instead, and follows the call's room:
through Twilio's Calls API from --from to the stack's number (the line stays open --hold seconds
once answered), or with --sip straight to livekit-sip's SIP address with sipp, which then also
checks that the caller hears the agent.
Exits 0 when the call was answered (with --sip: and the caller heard the agent), 1 when it was not
answered or failed, 2 on a usage error.
  <phone number>          the callee, E.164 (e.g. +15551234567); with --inbound the stack's number dialled
  --stack <name>          read the API URL and agent name from the stack's outputs and the key pair
                          from its config (needs the Pulumi CLI, logged in)
  --url <url>             LiveKit API URL, https://<domain> (the stack output livekitApiUrl)
  --key <key>             LiveKit API key
  --secret <secret>       LiveKit API secret; prefer the LIVEKIT_API_SECRET environment variable:
                          a command line is visible to every user of the machine
  --agent-name <name>     agent_name the worker registers (default: the stack's, else ${defaultAgentName})
  --call-id <id>          call_id and room name (default: a fresh one)
  --caller-id <number>    number shown to the callee, E.164 (default: the worker's)
  --agent <id>            Agent Studio agent identifier, logged by the worker
  --timeout <seconds>     how long to wait for the outcome (default: ${defaultTimeoutSeconds})
  --json                  also print a JSON summary as the last line
  --help
inbound options:
  --inbound               call into the stack instead of out of it
  --from <number>         the caller, E.164; with Twilio a Twilio number or a verified caller ID of the account
  --hold <seconds>        how long the caller stays on once answered (default: ${defaultHoldSeconds})
  --sip <host:port>       send the INVITE straight to livekit-sip at this address with sipp (local
                          stacks; needs sipp, Debian's sip-tester), instead of through Twilio
  --sip-source <ip>       address sipp and the caller's RTP use (default: 127.0.0.1 for a loopback
                          --sip); it must be in the inbound trunk's allowed addresses
  --twilio-account-sid <AC...>  Twilio account (default: TWILIO_ACCOUNT_SID, else the stack config);
                          the auth token comes from TWILIO_AUTH_TOKEN, else the stack config
  --twilio-api-base-url <loopback url>  a local Twilio-compatible test endpoint instead of Twilio`;

const options = {
  help: { type: "boolean" },
  json: { type: "boolean" },
  inbound: { type: "boolean" },
  ...stringFlags("stack", "url", "key", "secret", "agent-name", "call-id", "caller-id", "agent", "timeout"),
  ...stringFlags("from", "hold", "sip", "sip-source", "twilio-account-sid", "twilio-api-base-url"),
} as const;

const hostPort = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[A-Za-z0-9.-]+):\d{1,5}$/;
const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

// The worker's rule for call_id and agent (worker/src/call-metadata.ts): it refuses anything else.
const identifier = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const identifierExpectation = "1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

/** A fresh call ID: `call-`, the time and a random suffix, e.g. `call-20250101t120000-3fa2c1`. */
export function newCallId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "").toLowerCase();
  return `call-${stamp}-${randomBytes(3).toString("hex")}`;
}

/**
 * Reads the command line and the environment (LIVEKIT_API_SECRET). Throws one message listing
 * every bad flag with what is expected.
 */
export function parseDispatchFlags(argv: string[], env: NodeJS.ProcessEnv): DispatchFlags {
  const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  if (values.help) return { help: true };

  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const checkRule = (flag: string, value: string | undefined, rule: (value: string) => string | undefined) => {
    const problem = value === undefined ? undefined : rule(value);
    check(problem === undefined, `${flag} ${JSON.stringify(value)}: ${problem}`);
  };

  const inbound = values.inbound === true;
  const subject = inbound ? "the stack's number to call into" : "phone number to call";
  check(positionals.length === 1, `expected exactly one ${subject}, got ${positionals.length === 0 ? "none" : positionals.join(" ")}`);
  const phoneNumber = positionals[0] ?? "";
  if (positionals.length === 1) checkRule("phone number", phoneNumber, e164Problem);
  checkRule("--caller-id", values["caller-id"], e164Problem);
  checkRule("--url", values.url, apiUrlProblem);
  checkRule("--agent-name", values["agent-name"], agentNameProblem);
  for (const flag of ["call-id", "agent"] as const) {
    const value = values[flag];
    check(value === undefined || identifier.test(value), `--${flag} ${JSON.stringify(value)}: expected ${identifierExpectation}`);
  }
  const timeoutSeconds = values.timeout === undefined ? defaultTimeoutSeconds : Number(values.timeout);
  check(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1, `--timeout ${JSON.stringify(values.timeout)}: expected a whole number of seconds, at least 1`);

  const inboundOnly = ["from", "hold", "sip", "sip-source", "twilio-account-sid", "twilio-api-base-url"] as const;
  for (const flag of inboundOnly) check(inbound || values[flag] === undefined, `--${flag} is only for calls into the stack: add --inbound`);
  const holdSeconds = values.hold === undefined ? defaultHoldSeconds : Number(values.hold);
  if (inbound) {
    check(values.from !== undefined, "--inbound needs --from <number>: the caller's E.164 number");
    checkRule("--from", values.from, e164Problem);
    check(Number.isInteger(holdSeconds) && holdSeconds >= 1, `--hold ${JSON.stringify(values.hold)}: expected a whole number of seconds, at least 1`);
    check(values.sip === undefined || hostPort.test(values.sip), `--sip ${JSON.stringify(values.sip)}: expected livekit-sip's SIP address as host:port, e.g. 127.0.0.1:5060`);
    check(values["sip-source"] === undefined || ipv4.test(values["sip-source"]), `--sip-source ${JSON.stringify(values["sip-source"])}: expected an IPv4 address of this machine`);
    check(
      values.sip === undefined || values["sip-source"] !== undefined || values.sip.startsWith("127."),
      `--sip ${JSON.stringify(values.sip)} is not on loopback: give --sip-source <this machine's address the inbound trunk allows>`,
    );
    for (const twilioFlag of ["twilio-account-sid", "twilio-api-base-url"] as const) {
      check(values.sip === undefined || values[twilioFlag] === undefined, `--sip and --${twilioFlag} exclude each other: the call goes straight to livekit-sip or through Twilio`);
    }
    checkRule("--twilio-api-base-url", values["twilio-api-base-url"], apiBaseUrlProblem);
  }

  const apiSecret = values.secret ?? (env.LIVEKIT_API_SECRET || undefined);
  if (values.stack === undefined) {
    const missing = [
      values.url === undefined && "--url <https://domain>",
      values.key === undefined && "--key <api key>",
      apiSecret === undefined && "the API secret (LIVEKIT_API_SECRET in the environment)",
    ].filter((item): item is string => item !== false);
    check(missing.length === 0, `without --stack, give the LiveKit server explicitly: missing ${missing.join(", ")}`);
  }
  if (problems.length > 0) {
    throw new Error(problems.join("\n"));
  }

  const warnings =
    values.secret === undefined
      ? []
      : ["--secret puts the API secret on the command line, where every user of this machine can read it (ps); prefer LIVEKIT_API_SECRET."];
  return {
    help: false,
    request: {
      phoneNumber,
      callId: values["call-id"] ?? newCallId(),
      ...(values["caller-id"] === undefined ? {} : { callerId: values["caller-id"] }),
      ...(values.agent === undefined ? {} : { agent: values.agent }),
      timeoutSeconds,
    },
    ...(inbound
      ? {
          inbound: {
            to: phoneNumber,
            from: values.from as string,
            route:
              values.sip !== undefined
                ? { kind: "sip" as const, address: values.sip, source: values["sip-source"] ?? "127.0.0.1" }
                : {
                    kind: "twilio" as const,
                    ...optional("accountSid", values["twilio-account-sid"] ?? (env.TWILIO_ACCOUNT_SID || undefined)),
                    ...optional("authToken", env.TWILIO_AUTH_TOKEN || undefined),
                    ...optional("apiBaseUrl", values["twilio-api-base-url"]),
                  },
            holdSeconds,
            timeoutSeconds,
          },
        }
      : {}),
    stack: values.stack,
    target: {
      ...(values.url === undefined ? {} : { apiUrl: values.url }),
      ...(values.key === undefined ? {} : { apiKey: values.key }),
      ...(apiSecret === undefined ? {} : { apiSecret }),
      // A stack names its own agent (the agentName output); without one the worker's default applies.
      ...(values["agent-name"] !== undefined
        ? { agentName: values["agent-name"] }
        : values.stack === undefined
          ? { agentName: defaultAgentName }
          : {}),
    },
    json: values.json === true,
    warnings,
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** The job metadata the worker reads (worker/README.md "Job metadata"). */
export function jobMetadata(request: CallRequest): string {
  return JSON.stringify({
    phone_number: request.phoneNumber,
    call_id: request.callId,
    ...(request.callerId === undefined ? {} : { caller_id: request.callerId }),
    ...(request.agent === undefined ? {} : { agent: request.agent }),
  });
}
