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
}

/**
 * The host's network: a dedicated VPC and subnet, a static external IP, and ingress rules that
 * apply only to instances carrying {@link Network.hostTag}.
 */
export class Network extends pulumi.ComponentResource {
  /** Static external IPv4 address of the voice host. */
  public readonly address: pulumi.Output<string>;
  /** The static address resource (the VM attaches it). */
  public readonly staticIp: gcp.compute.Address;
  /** Self link of the VPC. */
  public readonly networkSelfLink: pulumi.Output<string>;
  /** Self link of the subnet. */
  public readonly subnetworkSelfLink: pulumi.Output<string>;
  /** Network tag the firewall rules target; the VM must carry it. */
  public readonly hostTag: string;
  /** The ingress rules, keyed by role. */
  public readonly firewalls: Record<string, gcp.compute.Firewall>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:network:Network", name, {}, opts);
    const subnetCidr = args.subnetCidr ?? "10.20.0.0/24";
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
    this.staticIp = new gcp.compute.Address(
      `${name}-ip`,
      { region: args.region, addressType: "EXTERNAL", networkTier: "PREMIUM", description: "Voice host (SIP origination, WebRTC)" },
      { parent: this },
    );

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
    this.networkSelfLink = vpc.selfLink;
    this.subnetworkSelfLink = subnet.selfLink;
    this.registerOutputs({
      address: this.address,
      networkSelfLink: this.networkSelfLink,
      subnetworkSelfLink: this.subnetworkSelfLink,
    });
  }
}
