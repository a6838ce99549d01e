import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { DeployedFiles } from "../runtime-config/runtime-config";
import type { RuntimeFile, RuntimeFileId } from "../runtime-config/runtime-files";
import { waitForDnsCommand, waitForLoadBalancerCommand, waitForStartupCommand, waitForTlsCommand, writeFileCommand } from "./deploy-commands";

/** Arguments of {@link StackDeployment}. */
export interface StackDeploymentArgs {
  /** SSH connection to the host (deploy key, pinned host key). Required. */
  connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
  /** ID of the VM; a replaced VM re-runs every step. Required. */
  instanceId: pulumi.Input<string>;
  /** The rendered runtime files by ID. Required. */
  files: DeployedFiles<pulumi.Output<RuntimeFile>>;
  /** SHA-256 of each file's content; a changed hash re-runs only that file's step. Required. */
  hashes: DeployedFiles<pulumi.Output<string>>;
  /**
   * Names that must resolve to `address` before Caddy starts; the first is the one Caddy serves the
   * LiveKit API on, unless `loadBalanced` is set (then it may be empty). Required.
   */
  dnsNames: string[];
  /**
   * A node of several, behind the load balancer that holds this domain's certificate: the API is
   * ready once https://<domain>/ answers through the load balancer, with its Google-managed
   * certificate (which Google can take up to an hour to issue). Only that wait waits for the load
   * balancer: the node's files and services do not, as the load balancer's backends name every
   * node's VM, and a VM waits for the previous node's rolling-deploy turn, which runs those steps.
   * Defaults to none: Caddy serves `dnsNames[0]` on this host.
   */
  loadBalanced?: { domain: string; loadBalancer: pulumi.Resource };
  /** The static IP. Required. */
  address: pulumi.Input<string>;
  /** Resources the deployment waits for (e.g. DNS records). Defaults to none. */
  dependsOn?: pulumi.Resource[];
}

/**
 * Copies the rendered files to the host and runs the compose project. One remote command per file,
 * triggered by that file's content hash, restarts only the services reading it; the compose file's
 * own step starts the stack (or applies a changed service definition) once every file is in place.
 * No file is written before the names resolve to the host: Caddy asks Let's Encrypt for a
 * certificate as soon as it reads a Caddyfile naming a new domain, and a failed validation counts
 * against Let's Encrypt's limits.
 */
export class StackDeployment extends pulumi.ComponentResource {
  /** The step that brings the stack up; done means every service passed its health check. */
  public readonly stackUp: command.remote.Command;
  /**
   * Done once Caddy serves the first DNS name with a valid certificate and livekit-server answers
   * behind it; what calls the LiveKit API over its public URL waits for this.
   */
  public readonly tlsReady: command.remote.Command;
  /** The per-file steps, by file ID. */
  public readonly fileSteps: Record<string, command.remote.Command>;

  constructor(name: string, args: StackDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:deployment:StackDeployment", name, {}, opts);
    const apiName = args.loadBalanced?.domain ?? args.dnsNames[0];
    if (apiName === undefined) {
      throw new pulumi.ResourceError("dnsNames is empty and no load-balanced domain is given; expected at least the domain Caddy serves", this);
    }
    const dependsOn = args.dependsOn ?? [];

    const hostReady = new command.remote.Command(
      `${name}-wait-host`,
      { connection: args.connection, create: waitForStartupCommand(), triggers: [args.instanceId] },
      { parent: this },
    );
    const dnsReady = new command.remote.Command(
      `${name}-wait-dns`,
      {
        connection: args.connection,
        // A node behind the load balancer without secure trunking has no name of its own to wait for.
        create: pulumi.output(args.address).apply((address) => (args.dnsNames.length === 0 ? ":" : waitForDnsCommand(args.dnsNames, address))),
        triggers: [args.instanceId, args.address, ...args.dnsNames],
      },
      { parent: this, dependsOn: [hostReady, ...dependsOn] },
    );

    const step = (id: RuntimeFileId, file: pulumi.Output<RuntimeFile>, after: pulumi.Resource[]): command.remote.Command =>
      new command.remote.Command(
        `${name}-${id}`,
        {
          connection: args.connection,
          create: file.apply(writeFileCommand),
          stdin: file.apply((f) => f.content),
          triggers: [args.instanceId, args.hashes[id]],
          logging: "stderr",
        },
        { parent: this, dependsOn: after },
      );

    this.fileSteps = {};
    const configFiles = (Object.entries(args.files) as [RuntimeFileId, pulumi.Output<RuntimeFile>][]).filter(([id]) => id !== "compose");
    for (const [id, file] of configFiles) {
      this.fileSteps[id] = step(id, file, [dnsReady]);
    }
    this.stackUp = step("compose", args.files.compose, [dnsReady, ...Object.values(this.fileSteps)]);
    this.fileSteps.compose = this.stackUp;
    this.tlsReady = new command.remote.Command(
      `${name}-wait-tls`,
      {
        connection: args.connection,
        create: args.loadBalanced === undefined ? waitForTlsCommand(apiName) : waitForLoadBalancerCommand(args.loadBalanced.domain),
        // A new host, name or Caddyfile can mean a new certificate.
        triggers: [args.instanceId, ...(args.loadBalanced === undefined ? [] : [args.loadBalanced.domain]), ...args.dnsNames, args.hashes.caddy],
      },
      { parent: this, dependsOn: [this.stackUp, ...(args.loadBalanced === undefined ? [] : [args.loadBalanced.loadBalancer])] },
    );
    this.registerOutputs({});
  }
}
