import { parseArgs } from "node:util";
import { stringFlags } from "../cli-args";
import { type ClosedPort, internalServicePorts } from "./closed-ports";
import { checkNames } from "./doctor-checks";
import type { DoctorInputs } from "./doctor-inputs";

/** The doctor's command line, read. */
export interface DoctorFlags {
  /** Stack whose outputs and config give the inputs. */
  stack?: string;
  /** Inputs given explicitly; they override the stack's. */
  inputs: Partial<DoctorInputs>;
  /** Checks not to run. */
  skip: string[];
  /** `--help`: print the usage and run nothing. */
  help: boolean;
}

/** The usage text. */
export const doctorUsage = `usage: npm run doctor -- --stack <name> [options]
       npm run doctor -- --domain <name> --ip <address> --api-key <key> --trunk-domain <x.pstn.twilio.com> [options]
Secrets come from the stack or the environment, never the command line: LIVEKIT_API_SECRET,
TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID + TWILIO_API_KEY_SECRET).
Options (override what the stack says):
  --domain <name>               --livekit-url <url>           --api-key <key>
  --ip <address>                (repeat once per node, node 0 first: the per-host checks run on each)
  --load-balancer-ip <address>  (several nodes: the domain's address, where TLS is checked)
  --sip-port <port>             --sip-host <address>          (one node only)
  --trunk-domain <domain>       --twilio-account-sid <AC…>    --twilio-api-base-url <loopback url>
  --number <+E.164>             (inbound checks; default: the stack's first phone number)
  --carrier-cidrs <cidr,…>      (inbound trunk must admit them; default: the stack's, else Twilio's)
  --dns-server <ip[:port]>      (repeatable; default: the system's resolvers)
  --tls-host <address>          --tls-port <port>             --tls-ca <pem file>
  --secure-trunking <true|false> (default: the stack's, else true)  --sip-tls-port <port>
  --closed-ports <port,…>       --closed-ports-host <address> (one node only)
  --skip <check,…>              (on every node) checks: ${checkNames.join(", ")}
  --help`;

const options = {
  help: { type: "boolean" },
  "dns-server": { type: "string", multiple: true },
  ip: { type: "string", multiple: true },
  ...stringFlags("stack", "domain", "load-balancer-ip", "livekit-url", "api-key", "sip-port", "sip-host", "trunk-domain", "number", "carrier-cidrs"),
  ...stringFlags("twilio-account-sid", "twilio-api-base-url", "tls-host", "tls-port", "tls-ca", "closed-ports", "closed-ports-host", "skip"),
  ...stringFlags("secure-trunking", "sip-tls-port"),
} as const;

function trueOrFalse(flag: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw new Error(`--${flag} ${value}: expected true or false`);
  return value === "true";
}

function port(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--${flag} ${value}: expected a port number from 1 to 65535`);
  return n;
}

function closedPorts(value: string | undefined): ClosedPort[] | undefined {
  if (value === undefined) return undefined;
  return value.split(",").map((item) => {
    const n = port("closed-ports", item.trim())!;
    return internalServicePorts.find((p) => p.port === n) ?? { port: n, what: `port ${n}` };
  });
}

/** Reads the command line and the environment's secrets; throws a message for a bad flag. */
export function parseDoctorFlags(argv: string[], env: NodeJS.ProcessEnv): DoctorFlags {
  const { values } = parseArgs({ args: argv, options, strict: true });
  const skip = values.skip === undefined ? [] : values.skip.split(",").map((s) => s.trim());
  const unknown = skip.filter((name) => !(checkNames as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--skip ${unknown.join(",")}: no such check; the checks are ${checkNames.join(", ")}`);
  const twilio: Record<string, string> = {};
  const setTwilio = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== "") twilio[key] = value;
  };
  setTwilio("twilioAccountSid", values["twilio-account-sid"]);
  setTwilio("twilioApiBaseUrl", values["twilio-api-base-url"]);
  setTwilio("twilioAuthToken", env.TWILIO_AUTH_TOKEN);
  setTwilio("twilioApiKeySid", env.TWILIO_API_KEY_SID);
  setTwilio("twilioApiKeySecret", env.TWILIO_API_KEY_SECRET);
  return {
    stack: values.stack,
    skip,
    help: values.help === true,
    inputs: {
      domain: values.domain,
      staticIp: values.ip?.[0],
      nodeIps: values.ip !== undefined && values.ip.length >= 2 ? values.ip : undefined,
      loadBalancerIp: values["load-balancer-ip"],
      livekitUrl: values["livekit-url"],
      apiKey: values["api-key"],
      apiSecret: env.LIVEKIT_API_SECRET || undefined,
      sipHost: values["sip-host"],
      sipPort: port("sip-port", values["sip-port"]),
      trunkDomain: values["trunk-domain"],
      inboundNumber: values.number,
      carrierCidrs: values["carrier-cidrs"]?.split(",").map((cidr) => cidr.trim()),
      twilio,
      dnsServers: values["dns-server"],
      tlsHost: values["tls-host"],
      tlsPort: port("tls-port", values["tls-port"]),
      secureTrunking: trueOrFalse("secure-trunking", values["secure-trunking"]),
      sipTlsPort: port("sip-tls-port", values["sip-tls-port"]),
      tlsCaFile: values["tls-ca"],
      closedPorts: closedPorts(values["closed-ports"]),
      closedPortsHost: values["closed-ports-host"],
    },
  };
}
