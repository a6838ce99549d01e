import { projectNamespace } from "../../components/config/fields";
import type { PulumiCli } from "../pulumi-cli";
import type { CallTarget } from "./dispatch-flags";

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * What a stack says about the call target: the API URL and agent name from its outputs
 * (`pulumi stack output --json`), the key pair from its config (`pulumi config get`, which decrypts
 * the secret in memory only). Values the stack lacks stay unset.
 */
export async function readStackTarget(cli: PulumiCli, stack: string): Promise<Partial<CallTarget>> {
  const outputs = JSON.parse(await cli(["stack", "output", "--json", "--stack", stack])) as Record<string, unknown>;
  const configValue = async (key: string) => text((await cli(["config", "get", `${projectNamespace}:${key}`, "--stack", stack])).trim());
  const target: Partial<CallTarget> = {
    apiUrl: text(outputs.livekitApiUrl),
    agentName: text(outputs.agentName),
    apiKey: await configValue("livekitApiKey"),
    apiSecret: await configValue("livekitApiSecret"),
  };
  return Object.fromEntries(Object.entries(target).filter(([, value]) => value !== undefined));
}

/** How to supply each part of the target when neither the stack nor a flag gave it. */
const remedies: Record<keyof CallTarget, string> = {
  apiUrl: "--url <https://domain> (the stack output livekitApiUrl; run `pulumi up` if the stack has none)",
  apiKey: "--key <api key> (the stack config livekitApiKey)",
  apiSecret: "LIVEKIT_API_SECRET in the environment (the stack config livekitApiSecret)",
  agentName: "--agent-name <name> (the stack output agentName)",
};

/** The stack's values overridden by explicit ones; throws naming every missing part and how to give it. */
export function completeTarget(fromStack: Partial<CallTarget>, explicit: Partial<CallTarget>): CallTarget {
  const target = { ...fromStack, ...explicit };
  const missing = (Object.keys(remedies) as (keyof CallTarget)[]).filter((key) => target[key] === undefined);
  if (missing.length > 0) {
    throw new Error(`missing ${missing.map((key) => remedies[key]).join("; ")}`);
  }
  return target as CallTarget;
}
