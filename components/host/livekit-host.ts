import * as command from "@pulumi/command";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { hostKeyFromGuestAttributes } from "./host-key";
import { hostServiceAccountId, hostServiceAccountRoles, hostServiceAccountScopes } from "./service-account-roles";

/** Arguments of {@link LiveKitHost}. */
export interface LiveKitHostArgs {
  /** GCP project of the VM and its service account. Required. */
  project: string;
  /** Zone of the VM. Required. */
  zone: string;
  /** Stack name, used in the service account ID. Required. */
  stack: string;
  /** GCE machine type. Required. */
  machineType: string;
  /** Boot disk size in GB. Required. */
  diskSizeGb: number;
  /** Static external IP the VM uses. Required. */
  staticIp: pulumi.Input<string>;
  /** Self link of the subnet. Required. */
  subnetwork: pulumi.Input<string>;
  /** Network tag the firewall rules target. Required. */
  networkTag: string;
  /** GCE startup script (installs Docker and compose). Required. */
  startupScript: string;
  /**
   * How long GCE lets the guest shut down (stop, reboot, host maintenance) before it forces, in
   * seconds, 1 to 3600: long enough for the stack to drain its calls. Required.
   */
  gracefulShutdownSeconds: number;
  /** Which node of the stack this is: its service account ID and display name name it. Defaults to 0 (the single host). */
  node?: number;
  /** Boot image. Defaults to `debian-cloud/debian-12`. */
  image?: string;
  /** Login of the deploy user. Defaults to `deploy`. */
  deployUser?: string;
  /** How long to wait for the guest agent to publish the SSH host key, in seconds. Defaults to 300. */
  hostKeyTimeoutSeconds?: number;
  /**
   * What the VM's own changes (create, stop to resize, replace) wait for: with several nodes, the
   * previous node's turn of the rolling deploy, so VMs change one at a time. Defaults to none.
   */
  after?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The voice host: a shielded Debian 12 VM with a dedicated least-privilege service account and a
 * Pulumi-generated deploy key. {@link LiveKitHost.connection} pins the VM's SSH host key, read from
 * the guest attributes over the authenticated GCE API, so deploys never trust on first use.
 */
export class LiveKitHost extends pulumi.ComponentResource {
  /** The VM. */
  public readonly instance: gcp.compute.Instance;
  /** Email of the host's service account. */
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** SSH connection for deploys: deploy key, pinned host key. Secret (holds the private key). */
  public readonly connection: pulumi.Output<command.types.input.remote.ConnectionArgs>;
  /** The pinned SSH host key (`ssh-ed25519 …`). */
  public readonly hostKey: pulumi.Output<string>;

  constructor(name: string, args: LiveKitHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:host:LiveKitHost", name, {}, opts);
    const image = args.image ?? "debian-cloud/debian-12";
    const deployUser = args.deployUser ?? "deploy";
    const hostKeyTimeoutSeconds = args.hostKeyTimeoutSeconds ?? 300;
    const node = args.node ?? 0;

    const deployKey = new tls.PrivateKey(`${name}-deploy-key`, { algorithm: "ED25519" }, { parent: this });
    const serviceAccount = new gcp.serviceaccount.Account(
      `${name}-sa`,
      {
        project: args.project,
        accountId: hostServiceAccountId(args.stack, node),
        displayName: node === 0 ? `Agent Studio voice host (${args.stack})` : `Agent Studio voice node ${node} (${args.stack})`,
      },
      { parent: this },
    );
    const roleBindings = hostServiceAccountRoles.map(
      (role) =>
        new gcp.projects.IAMMember(
          `${name}-sa-${role.split("/")[1].replace(/\./g, "-")}`,
          { project: args.project, role, member: pulumi.interpolate`serviceAccount:${serviceAccount.email}` },
          { parent: this },
        ),
    );

    this.instance = new gcp.compute.Instance(
      `${name}-vm`,
      {
        project: args.project,
        zone: args.zone,
        machineType: args.machineType,
        tags: [args.networkTag],
        bootDisk: { initializeParams: { image, size: args.diskSizeGb, type: "pd-balanced" } },
        shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
        networkInterfaces: [{ subnetwork: args.subnetwork, accessConfigs: [{ natIp: args.staticIp, networkTier: "PREMIUM" }] }],
        serviceAccount: { email: serviceAccount.email, scopes: [...hostServiceAccountScopes] },
        metadata: {
          "startup-script": args.startupScript,
          "ssh-keys": pulumi.interpolate`${deployUser}:${deployKey.publicKeyOpenssh}`,
          "block-project-ssh-keys": "TRUE",
          "enable-oslogin": "FALSE",
          "enable-guest-attributes": "TRUE",
        },
        // Without it GCE forces a stopping VM off after about 90 s, cutting the drain of calls in progress.
        scheduling: { gracefulShutdown: { enabled: true, maxDuration: { seconds: args.gracefulShutdownSeconds } } },
        allowStoppingForUpdate: true,
      },
      // The static IP can be attached to one VM at a time: a replacement must release it first.
      { parent: this, dependsOn: [...roleBindings, ...(args.after ?? [])], deleteBeforeReplace: true },
    );

    // The instance ID is known only once the VM exists; its name, zone and project are known earlier
    // (a preview autonames the VM it is about to create), so reading on them alone would ask GCE
    // for a VM that a preview has not created, and fail it.
    this.hostKey = pulumi
      .all([this.instance.instanceId, this.instance.name, this.instance.zone, this.instance.project])
      .apply(([, instanceName, zone, project]) => waitForHostKey(instanceName, zone, project, hostKeyTimeoutSeconds));
    this.serviceAccountEmail = serviceAccount.email;
    this.connection = pulumi.secret(
      pulumi.all([args.staticIp, deployKey.privateKeyOpenssh, this.hostKey]).apply(([host, privateKey, hostKey]) => ({
        host,
        user: deployUser,
        privateKey,
        hostKey,
        dialErrorLimit: 30,
      })),
    );
    this.registerOutputs({ instance: this.instance, serviceAccountEmail: this.serviceAccountEmail, hostKey: this.hostKey });
  }
}

/** Polls the VM's guest attributes until the guest agent has published its ed25519 host key. */
async function waitForHostKey(instanceName: string, zone: string, project: string, timeoutSeconds: number): Promise<string> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const result = await gcp.compute.getInstanceGuestAttributes({ name: instanceName, zone, project, queryPath: "hostkeys/" });
    const key = hostKeyFromGuestAttributes(result.queryValues ?? []);
    if (key !== undefined) return key;
    if (Date.now() > deadline) {
      throw new Error(
        `VM ${instanceName} published no SSH host key in guest attributes within ${timeoutSeconds}s; ` +
          `check that the Google guest agent runs (serial console: gcloud compute instances get-serial-port-output ${instanceName} --zone ${zone}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}
