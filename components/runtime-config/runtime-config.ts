import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackConfig } from "../config";
import { renderWorkerService } from "./compose";
import { workerSlots } from "./host-layout";
import { contentHash, keyedContentHash } from "./content-hash";
import {
  type PlainFileId,
  renderLivekitKeysFile,
  renderRuntimeFiles,
  type RuntimeFile,
  type RuntimeFileId,
  type RuntimeInput,
} from "./runtime-files";

/** Arguments of {@link RuntimeConfig}. */
export interface RuntimeConfigArgs {
  /** The validated stack config. Required. */
  config: StackConfig;
  /** The host's static external IP. Required. */
  staticIp: pulumi.Input<string>;
  /** Pinned reference of the agent worker image (`WorkerImage.imageRef`). Required. */
  workerImage: pulumi.Input<string>;
}

const plainFileIds: readonly PlainFileId[] = ["livekit", "sip", "redis", "caddy", "workerSlots", "systemdUnit", "opsAgent", "compose"];

/**
 * Renders livekit.yaml, the SIP config, redis.conf, the Caddyfile, the systemd unit, the Ops Agent's
 * config and docker-compose.yml (with the worker's pinned image) from stack config, all without a secret, so
 * a preview's diff shows their content; the LiveKit key pair goes into one small secret env file.
 * Each file's hash drives the redeploy of exactly the services that read that file: SHA-256 for the
 * plain files, an HMAC keyed with the stack's own random key for the secret one.
 */
export class RuntimeConfig extends pulumi.ComponentResource {
  /** Each rendered file; only the key pair's file is secret. */
  public readonly files: Record<RuntimeFileId, pulumi.Output<RuntimeFile>>;
  /** Hash of each file's content (public). */
  public readonly hashes: Record<RuntimeFileId, pulumi.Output<string>>;
  /** SHA-256 of the worker's service definition in the compose file; a change re-runs the worker's deployment. */
  public readonly workerServiceHash: pulumi.Output<string>;
  /** The stack's random key for hashes of files that hold secrets (`keyedContentHash`). Secret. */
  public readonly hashKey: pulumi.Output<string>;

  constructor(name: string, args: RuntimeConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:runtime:RuntimeConfig", name, {}, opts);
    const c = args.config;
    const plain = pulumi.all([args.staticIp, args.workerImage]).apply(([staticIp, workerImage]) => {
      const input: RuntimeInput = {
        domain: c.domain,
        staticIp,
        logLevel: c.logLevel,
        ports: c.ports,
        turnEnabled: c.turn.enabled,
        secureTrunking: c.secureTrunking,
        versions: c.versions,
        workerImage,
        maxCallMinutes: c.maxCallMinutes,
      };
      return renderRuntimeFiles(input);
    });
    this.hashKey = new random.RandomBytes(`${name}-hash-key`, { length: 32 }, { parent: this }).hex;

    const files = {} as Record<RuntimeFileId, pulumi.Output<RuntimeFile>>;
    const hashes = {} as Record<RuntimeFileId, pulumi.Output<string>>;
    for (const id of plainFileIds) {
      files[id] = plain.apply((all) => all[id]);
      hashes[id] = files[id].apply((f) => contentHash(f.content));
    }
    files.livekitKeys = pulumi.secret(
      pulumi.output(c.livekit.apiSecret).apply((apiSecret) => renderLivekitKeysFile({ apiKey: c.livekit.apiKey, apiSecret })),
    );
    hashes.livekitKeys = pulumi.unsecret(
      pulumi.all([this.hashKey, files.livekitKeys]).apply(([key, file]) => keyedContentHash(key, file.content)),
    );
    this.files = files;
    this.hashes = hashes;
    this.workerServiceHash = pulumi.output(args.workerImage).apply((image) => contentHash(JSON.stringify(workerSlots.map((slot) => renderWorkerService(image, c.maxCallMinutes, slot)))));
    this.registerOutputs({ hashes, workerServiceHash: this.workerServiceHash });
  }
}
