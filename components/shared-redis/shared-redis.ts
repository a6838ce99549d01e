import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link SharedRedis}. */
export interface SharedRedisArgs {
  /** GCP project. Required. */
  project: string;
  /** Region of the instance (the stack's `gcp:region`). Required. */
  region: string;
  /** ID of the VPC the nodes run in; the instance is peered into it and reachable only there. Required. */
  network: pulumi.Input<string>;
  /** Zone of the primary and of its replica: two of the nodes' zones, so one zone's outage fails over. Required. */
  zones: [string, string];
  /** Memory in GB. Defaults to 1 (LiveKit keeps rooms, participants and SIP trunks there: kilobytes per call). */
  memorySizeGb?: number;
  /** Redis version. Defaults to `REDIS_7_2`. */
  redisVersion?: string;
}

/**
 * The Redis every node shares (LiveKit's store and message bus): Memorystore for Redis, Standard
 * tier (a replica in another zone with automatic failover), AUTH on, reached only from the stack's
 * VPC over direct peering, with hourly RDB snapshots since it holds the SIP trunks and dispatch rules.
 *
 * In-transit encryption stays off: Memorystore's server certificate names the instance's IP only in
 * its subject CN, without a subject alternative name, which Go's TLS (livekit-server, livekit-sip)
 * refuses to verify; the traffic never leaves the VPC's private peering.
 */
export class SharedRedis extends pulumi.ComponentResource {
  /** The Memorystore instance. */
  public readonly instance: gcp.redis.Instance;
  /** Its private IP. */
  public readonly host: pulumi.Output<string>;
  /** Its port. */
  public readonly port: pulumi.Output<number>;
  /** Its AUTH string (secret). */
  public readonly authString: pulumi.Output<string>;

  constructor(name: string, args: SharedRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:redis:SharedRedis", name, {}, opts);
    const memorySizeGb = args.memorySizeGb ?? 1;
    const redisVersion = args.redisVersion ?? "REDIS_7_2";

    this.instance = new gcp.redis.Instance(
      `${name}-instance`,
      {
        project: args.project,
        region: args.region,
        tier: "STANDARD_HA",
        memorySizeGb,
        redisVersion,
        displayName: "Agent Studio voice: LiveKit store shared by the nodes",
        authorizedNetwork: args.network,
        connectMode: "DIRECT_PEERING",
        authEnabled: true,
        transitEncryptionMode: "DISABLED",
        locationId: args.zones[0],
        alternativeLocationId: args.zones[1],
        persistenceConfig: { persistenceMode: "RDB", rdbSnapshotPeriod: "ONE_HOUR" },
        // Full memory refuses writes rather than evicting trunks and rules, as the host's redis.conf does.
        redisConfigs: { "maxmemory-policy": "noeviction" },
      },
      { parent: this },
    );
    this.host = this.instance.host;
    this.port = this.instance.port;
    this.authString = pulumi.secret(this.instance.authString);
    this.registerOutputs({ host: this.host, port: this.port });
  }
}
