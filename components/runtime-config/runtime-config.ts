import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackConfig } from "../config";
import { renderWorkerService } from "./compose";
import { workerSlots } from "./host-layout";
import { contentHash, keyedContentHash } from "./content-hash";
import {
  type NodeRuntimeInput,
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
  /**
   * A node of several (`nodes` ≥ 2): its index and the shared Memorystore instance (host, port, AUTH
   * string). Defaults to none: the single host with its own Redis.
   */
  node?: { index: number; redis: { host: pulumi.Input<string>; port: pulumi.Input<number>; password: pulumi.Input<string> } };
}

/** The files a node deploys, by ID; the compose file and the Caddyfile are always among them. */
export type DeployedFiles<T> = Partial<Record<RuntimeFileId, T>> & Record<"compose" | "caddy", T>;

const plainFileIds: readonly PlainFileId[] = ["livekit", "sip", "redis", "caddy", "workerSlots", "systemdUnit", "opsAgent", "compose"];

/**
 * Renders livekit.yaml, the SIP config, redis.conf, the Caddyfile, the systemd unit, the Ops Agent's
 * config and docker-compose.yml (with the worker's pinned image) from stack config, all without a secret, so
 * a preview's diff shows their content; the LiveKit key pair goes into one small secret env file.
 * Each file's hash drives the redeploy of exactly the services that read that file: SHA-256 for the
 * plain files, an HMAC keyed with the stack's own random key for the secret one.
 */
export class RuntimeConfig extends pulumi.ComponentResource {
  /** Each rendered file; only the key pair's file is secret, and on a node of several the SIP config (it holds the Redis AUTH string). */
  public readonly files: DeployedFiles<pulumi.Output<RuntimeFile>>;
  /** Hash of each file's content (public). */
  public readonly hashes: DeployedFiles<pulumi.Output<string>>;
  /** SHA-256 of the worker's service definition in the compose file; a change re-runs the worker's deployment. */
  public readonly workerServiceHash: pulumi.Output<string>;
  /** The stack's random key for hashes of files that hold secrets (`keyedContentHash`). Secret. */
  public readonly hashKey: pulumi.Output<string>;

  constructor(name: string, args: RuntimeConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:runtime:RuntimeConfig", name, {}, opts);
    const c = args.config;
    const node = args.node;
    const nodeInput: pulumi.Output<NodeRuntimeInput | undefined> =
      node === undefined
        ? pulumi.output(undefined)
        : pulumi.all([node.redis.host, node.redis.port, node.redis.password]).apply(([host, port, password]) => ({ index: node.index, redis: { address: `${host}:${port}`, password } }));
    // On a node of several the SIP config holds the Redis AUTH string: secret like the key pair's file.
    const secretIds: readonly PlainFileId[] = node === undefined ? [] : ["sip"];
    const rendered = pulumi.all([args.staticIp, args.workerImage, nodeInput]).apply(([staticIp, workerImage, nodeValues]) => {
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
        ...(nodeValues !== undefined && { node: nodeValues }),
      };
      return renderRuntimeFiles(input);
    });
    this.hashKey = new random.RandomBytes(`${name}-hash-key`, { length: 32 }, { parent: this }).hex;

    const keyedHash = (file: pulumi.Output<RuntimeFile>) => pulumi.unsecret(pulumi.all([this.hashKey, file]).apply(([key, f]) => keyedContentHash(key, f.content)));
    const files = {} as DeployedFiles<pulumi.Output<RuntimeFile>>;
    const hashes = {} as DeployedFiles<pulumi.Output<string>>;
    // A node of several runs no Redis of its own: no redis.conf.
    for (const id of plainFileIds.filter((id) => node === undefined || id !== "redis")) {
      if (secretIds.includes(id)) {
        files[id] = pulumi.secret(rendered.apply((all) => all[id] as RuntimeFile));
        hashes[id] = keyedHash(files[id]);
      } else {
        // Rendered beside the secret SIP config on a node of several, these hold no secret themselves.
        files[id] = pulumi.unsecret(rendered.apply((all) => all[id] as RuntimeFile));
        hashes[id] = files[id].apply((f) => contentHash(f.content));
      }
    }
    files.livekitKeys = pulumi.secret(
      pulumi
        .all([c.livekit.apiSecret, nodeInput])
        .apply(([apiSecret, nodeValues]) => renderLivekitKeysFile({ apiKey: c.livekit.apiKey, apiSecret }, nodeValues?.redis.password)),
    );
    hashes.livekitKeys = keyedHash(files.livekitKeys);
    this.files = files;
    this.hashes = hashes;
    this.workerServiceHash = pulumi.output(args.workerImage).apply((image) => contentHash(JSON.stringify(workerSlots.map((slot) => renderWorkerService(image, c.maxCallMinutes, slot)))));
    this.registerOutputs({ hashes, workerServiceHash: this.workerServiceHash });
  }
}
