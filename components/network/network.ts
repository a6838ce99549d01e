import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { firewallRules, type FirewallInput } from "./firewall-rules";

/** Arguments of {@link Network}. */
export interface NetworkArgs {
  /** GCP region of the subnet and the static IP. Required. */
  region: string;
  /** Ports and source ranges of the ingress rules. Required. */
  firewall: FirewallInput;
  /** CIDR of the host's subnet. Defaults to `10.20.0.0/24`. */
  subnetCidr?: string;
  /** Voice nodes, each with its own static external IP. Defaults to 1. */
  nodes?: number;
}

/**
 * Logical name of a node's resource: node 0 keeps the single host's name (so going from one node to
 * more replaces nothing of it), node i gets `-<i>`.
 */
export function nodeResourceName(base: string, node: number): string {
  return node === 0 ? base : `${base}-${node}`;
}

/**
 * The host's network: a dedicated VPC and subnet, a static external IP, and ingress rules that
 * apply only to instances carrying {@link Network.hostTag}.
 */
export class Network extends pulumi.ComponentResource {
  /** Static external IPv4 address of the voice host (node 0). */
  public readonly address: pulumi.Output<string>;
  /** The static address resource of node 0 (the VM attaches it). */
  public readonly staticIp: gcp.compute.Address;
  /** Static external IPv4 address of each node, node 0 first. */
  public readonly addresses: pulumi.Output<string>[];
  /** Self link of the VPC. */
  public readonly networkSelfLink: pulumi.Output<string>;
  /** ID of the VPC (`projects/<p>/global/networks/<n>`), as Memorystore's `authorizedNetwork` takes it. */
  public readonly networkId: pulumi.Output<string>;
  /** Self link of the subnet. */
  public readonly subnetworkSelfLink: pulumi.Output<string>;
  /** Network tag the firewall rules target; the VM must carry it. */
  public readonly hostTag: string;
  /** The ingress rules, keyed by role. */
  public readonly firewalls: Record<string, gcp.compute.Firewall>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:network:Network", name, {}, opts);
    const subnetCidr = args.subnetCidr ?? "10.20.0.0/24";
    const nodes = args.nodes ?? 1;
    this.hostTag = `${name}-voice-host`;

    const vpc = new gcp.compute.Network(
      `${name}-vpc`,
      { autoCreateSubnetworks: false, description: "Agent Studio voice stack" },
      { parent: this },
    );
    const subnet = new gcp.compute.Subnetwork(
      `${name}-subnet`,
      { network: vpc.id, region: args.region, ipCidrRange: subnetCidr, privateIpGoogleAccess: true },
      { parent: this },
    );
    const staticIps = Array.from(
      { length: nodes },
      (_, node) =>
        new gcp.compute.Address(
          nodeResourceName(`${name}-ip`, node),
          {
            region: args.region,
            addressType: "EXTERNAL",
            networkTier: "PREMIUM",
            description: node === 0 ? "Voice host (SIP origination, WebRTC)" : `Voice node ${node} (SIP origination, WebRTC)`,
          },
          { parent: this },
        ),
    );
    this.staticIp = staticIps[0];

    this.firewalls = {};
    for (const rule of firewallRules(args.firewall)) {
      this.firewalls[rule.role] = new gcp.compute.Firewall(
        `${name}-${rule.role}`,
        {
          network: vpc.selfLink,
          description: rule.description,
          direction: "INGRESS",
          allows: rule.allows,
          sourceRanges: rule.sourceRanges,
          targetTags: [this.hostTag],
        },
        { parent: this },
      );
    }

    this.address = this.staticIp.address;
    this.addresses = staticIps.map((ip) => ip.address);
    this.networkSelfLink = vpc.selfLink;
    this.networkId = vpc.id;
    this.subnetworkSelfLink = subnet.selfLink;
    this.registerOutputs({
      address: this.address,
      networkSelfLink: this.networkSelfLink,
      subnetworkSelfLink: this.subnetworkSelfLink,
    });
  }
}
