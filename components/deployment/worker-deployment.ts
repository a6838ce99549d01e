import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { keyedContentHash } from "../runtime-config/content-hash";
import { renderWorkerEnv, type WorkerEnvInput } from "../runtime-config/worker-env";
import { configureRegistryCommand, writeFileCommand } from "./deploy-commands";

/** The worker's environment as Pulumi inputs (secrets stay Outputs marked secret). */
export type WorkerEnvArgs = { [K in keyof WorkerEnvInput]: pulumi.Input<WorkerEnvInput[K]> };

/** Arguments of {@link WorkerDeployment}. */
export interface WorkerDeploymentArgs {
  /** SSH connection to the host (deploy key, pinned host key). Required. */
  connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
  /** ID of the VM; a replaced VM re-runs the step. Required. */
  instanceId: pulumi.Input<string>;
  /** What the worker's env file holds. Required. */
  env: WorkerEnvArgs;
  /** SHA-256 of the worker's service definition (`RuntimeConfig.workerServiceHash`); a new image re-runs the step. Required. */
  serviceHash: pulumi.Input<string>;
  /** The stack's key for hashes of files holding secrets (`RuntimeConfig.hashKey`). Required. */
  hashKey: pulumi.Input<string>;
  /** Artifact Registry host the worker image is pulled from. Required. */
  registryHost: string;
  /** Resources to wait for: the LiveKit trunks (the env names the outbound trunk) and the running stack. Defaults to none. */
  dependsOn?: pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
}

/**
 * Starts the agent worker on the host, a step of its own after the LiveKit trunks exist: it lets
 * docker pull from Artifact Registry, writes the worker's env file (mode 0600, through stdin),
 * then recreates the worker container alone. It re-runs only when the env file or the worker's
 * service definition (its image) changed, so a new SIP password, which the worker never sees,
 * leaves the worker and its calls alone.
 */
export class WorkerDeployment extends pulumi.ComponentResource {
  /** The remote step. */
  public readonly step: command.remote.Command;
  /** HMAC of the env file's content with the stack's hash key (public: without the key it reveals nothing of the secrets it covers). */
  public readonly envHash: pulumi.Output<string>;

  constructor(name: string, args: WorkerDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:deployment:WorkerDeployment", name, {}, opts);
    const envFile = pulumi.secret(pulumi.output(args.env).apply((env) => renderWorkerEnv(env as WorkerEnvInput)));
    this.envHash = pulumi.unsecret(pulumi.all([args.hashKey, envFile]).apply(([key, file]) => keyedContentHash(key, file.content)));
    this.step = new command.remote.Command(
      `${name}-deploy`,
      {
        connection: args.connection,
        // A new image with the same env file must still recreate the worker: the service hash is part of what was applied.
        create: pulumi
          .all([envFile, args.serviceHash])
          .apply(([file, serviceHash]) => `${configureRegistryCommand(args.registryHost)}\n${writeFileCommand(file, [serviceHash])}`),
        stdin: envFile.apply((file) => file.content),
        triggers: [args.instanceId, this.envHash, args.serviceHash],
        logging: "stderr",
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ envHash: this.envHash });
  }
}
