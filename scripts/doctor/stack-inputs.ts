import { projectNamespace } from "../../components/config/fields";
import type { PulumiCli } from "../pulumi-cli";
import type { DoctorInputs } from "./doctor-inputs";

/** `pulumi config --json` entries: `{ "<namespace>:<key>": { value, secret } }`. */
type ConfigJson = Record<string, { value?: unknown; objectValue?: unknown }>;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** `text` parsed as JSON, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The doctor's inputs from a stack's outputs (`pulumi stack output --json`) and config
 * (`pulumi config --json --show-secrets`): the domain, static IP, API URL and keys, SIP port,
 * trunk domain, first phone number, carrier signaling ranges and Twilio credentials; with several
 * nodes, each node's IP and the load balancer's. Pure; values absent from the stack stay undefined.
 */
export function inputsFromStack(outputsJson: string, configJson: string): Partial<DoctorInputs> {
  const outputs = JSON.parse(outputsJson) as Record<string, unknown>;
  const config = JSON.parse(configJson) as ConfigJson;
  const get = (key: string) => text(config[`${projectNamespace}:${key}`]?.value);
  const list = (key: string): string[] | undefined => {
    const entry = config[`${projectNamespace}:${key}`];
    const items = entry?.objectValue ?? (typeof entry?.value === "string" ? parseJson(entry.value) : undefined);
    return Array.isArray(items) && items.every((item) => typeof item === "string") ? items : undefined;
  };
  // Only an E.164 entry can be called; a number listed by its Twilio SID needs --number.
  const firstNumber = list("phoneNumbers")?.[0];
  const sipPort = get("sipPort") ?? /^sip:[\d.]+:(\d+)$/.exec(text(outputs.sipUri) ?? "")?.[1];
  const twilio: Record<string, string> = {};
  for (const key of ["twilioAccountSid", "twilioAuthToken", "twilioApiKeySid", "twilioApiKeySecret"]) {
    const value = get(key);
    if (value !== undefined) twilio[key] = value;
  }
  const nodes = (typeof outputs.nodes === "object" && outputs.nodes !== null ? outputs.nodes : {}) as Record<string, unknown>;
  const nodeIps = nodes.staticIps;
  // A boolean key reads back as a boolean or its text; unset means the default, on.
  const secure = config[`${projectNamespace}:secureTrunking`]?.value;
  return {
    domain: get("domain"),
    secureTrunking: secure === undefined ? undefined : String(secure) !== "false",
    staticIp: text(outputs.staticIp),
    // The `nodes` output: a one-node stack lists its one IP (staticIp) and has no load balancer.
    nodeIps: Array.isArray(nodeIps) && nodeIps.length >= 2 && nodeIps.every((ip) => text(ip) !== undefined) ? (nodeIps as string[]) : undefined,
    loadBalancerIp: text(nodes.loadBalancerIp),
    livekitUrl: text(outputs.livekitApiUrl),
    apiKey: get("livekitApiKey"),
    apiSecret: get("livekitApiSecret"),
    sipPort: sipPort === undefined ? undefined : Number(sipPort),
    trunkDomain: get("twilioTrunkDomain"),
    inboundNumber: firstNumber?.startsWith("+") ? firstNumber : undefined,
    carrierCidrs: list("carrierSignalingCidrs"),
    twilio,
  };
}

/** Reads a stack's outputs and config through the Pulumi CLI (secrets decrypted in memory only). */
export async function readStackInputs(cli: PulumiCli, stack: string): Promise<Partial<DoctorInputs>> {
  const outputs = await cli(["stack", "output", "--json", "--stack", stack]);
  const config = await cli(["config", "--json", "--show-secrets", "--stack", stack]);
  return inputsFromStack(outputs, config);
}
