import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { renderWorkerService } from "./compose";
import { renderRuntimeFiles, type RuntimeFile, type RuntimeFileId, type RuntimeInput } from "./runtime-files";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** Arguments of {@link RuntimeConfig}. */
export interface RuntimeConfigArgs {
  /** The validated stack config. Required. */
  config: StackConfig;
  /** The host's static external IP. Required. */
  staticIp: pulumi.Input<string>;
  /** Pinned reference of the agent worker image (`WorkerImage.imageRef`). Required. */
  workerImage: pulumi.Input<string>;
}

const fileIds: readonly RuntimeFileId[] = ["livekit", "sip", "redis", "caddy", "systemdUnit", "compose"];

/**
 * Renders livekit.yaml, the SIP config, redis.conf, the Caddyfile, the systemd unit and
 * docker-compose.yml (with the worker's pinned image) from stack config. Files are secret (two hold the API secret); each file's
 * SHA-256 is public and drives the redeploy of exactly the services that read that file.
 */
export class RuntimeConfig extends pulumi.ComponentResource {
  /** Each rendered file, secret. */
  public readonly files: Record<RuntimeFileId, pulumi.Output<RuntimeFile>>;
  /** SHA-256 of each file's content. */
  public readonly hashes: Record<RuntimeFileId, pulumi.Output<string>>;
  /** SHA-256 of the worker's service definition in the compose file; a change re-runs the worker's deployment. */
  public readonly workerServiceHash: pulumi.Output<string>;

  constructor(name: string, args: RuntimeConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:runtime:RuntimeConfig", name, {}, opts);
    const c = args.config;
    const rendered = pulumi.secret(
      pulumi.all([args.staticIp, c.livekit.apiSecret, args.workerImage]).apply(([staticIp, apiSecret, workerImage]) => {
        const input: RuntimeInput = {
          domain: c.domain,
          staticIp,
          apiKey: c.livekit.apiKey,
          apiSecret,
          logLevel: c.logLevel,
          ports: c.ports,
          turnEnabled: c.turn.enabled,
          versions: c.versions,
          workerImage,
        };
        return renderRuntimeFiles(input);
      }),
    );
    const files = {} as Record<RuntimeFileId, pulumi.Output<RuntimeFile>>;
    const hashes = {} as Record<RuntimeFileId, pulumi.Output<string>>;
    for (const id of fileIds) {
      files[id] = rendered.apply((all) => all[id]);
      // A digest of a file holding a 32+ character secret reveals nothing usable; keeping it
      // public lets `pulumi preview --diff` show which file changed.
      hashes[id] = pulumi.unsecret(files[id].apply((f) => sha256(f.content)));
    }
    this.files = files;
    this.hashes = hashes;
    this.workerServiceHash = pulumi.output(args.workerImage).apply((image) => sha256(JSON.stringify(renderWorkerService(image))));
    this.registerOutputs({ hashes, workerServiceHash: this.workerServiceHash });
  }
}
