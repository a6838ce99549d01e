import type { RecordedResource } from "./mock-monitor";

type Describer = (inputs: Record<string, any>) => string;

const list = (values: unknown): string => (Array.isArray(values) ? values.join(",") : String(values ?? ""));

/** Key properties worth reading in a plan, per resource type. */
const describers: Record<string, Describer> = {
  "gcp:compute/firewall:Firewall": (i) =>
    `${(i.allows ?? []).map((a: { protocol: string; ports: string[] }) => `${a.protocol}:${list(a.ports)}`).join(" ")} from ${list(i.sourceRanges)}`,
  "gcp:compute/instance:Instance": (i) =>
    `${i.machineType} in ${i.zone}, image ${i.bootDisk?.initializeParams?.image}, disk ${i.bootDisk?.initializeParams?.size} GB, ` +
    `shielded ${i.shieldedInstanceConfig?.enableSecureBoot === true ? "yes" : "no"}, scopes ${list(i.serviceAccount?.scopes?.map((s: string) => s.split("/").pop()))}`,
  "gcp:compute/address:Address": (i) => `${i.addressType} in ${i.region}`,
  "gcp:compute/subnetwork:Subnetwork": (i) => `${i.ipCidrRange} in ${i.region}`,
  "gcp:projects/iAMMember:IAMMember": (i) => String(i.role),
  "gcp:serviceaccount/account:Account": (i) => String(i.accountId),
  "gcp:dns/recordSet:RecordSet": (i) => `${i.name} ${i.type} ${list(i.rrdatas)}`,
  "command:remote:Command": (i) => {
    const hash = Array.isArray(i.triggers) ? i.triggers.find((t: unknown) => typeof t === "string" && /^[0-9a-f]{64}$/.test(t)) : undefined;
    return hash ? `content sha256 ${hash.slice(0, 12)}` : "";
  },
};

/** One line of key properties for a resource, or "" when its type has none worth showing. */
export function describe(resource: RecordedResource): string {
  return describers[resource.type]?.(resource.inputs) ?? "";
}
