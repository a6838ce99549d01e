import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link Dns}. */
export interface DnsArgs {
  /** GCP project holding the managed zone. Required. */
  project: string;
  /** Cloud DNS managed zone name. Required. */
  managedZone: string;
  /** Names that must resolve to the host by role (`signaling`, and `turn` when TURN is on). Required. */
  names: Record<string, string>;
  /** The host's static IP. Required. */
  address: pulumi.Input<string>;
  /** Roles whose name resolves elsewhere than `address` (with several nodes: the load balancer, each node's SIP host). Defaults to none. */
  addresses?: Record<string, pulumi.Input<string>>;
  /** Record TTL in seconds. Defaults to 300. */
  ttl?: number;
}

/** A records in a Cloud DNS managed zone pointing the stack's names at the static IP. */
export class Dns extends pulumi.ComponentResource {
  /** The A records, one per name. */
  public readonly records: gcp.dns.RecordSet[];

  constructor(name: string, args: DnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:dns:Dns", name, {}, opts);
    const ttl = args.ttl ?? 300;
    const addresses = args.addresses ?? {};
    this.records = Object.entries(args.names).map(
      ([role, dnsName]) =>
        new gcp.dns.RecordSet(
          `${name}-${role}`,
          { project: args.project, managedZone: args.managedZone, name: `${dnsName}.`, type: "A", ttl, rrdatas: [addresses[role] ?? args.address] },
          { parent: this },
        ),
    );
    this.registerOutputs({ records: this.records.map((r) => r.name) });
  }
}
