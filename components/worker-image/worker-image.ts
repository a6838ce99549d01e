import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { buildContextHash } from "./build-context-hash";
import { artifactRegistryHost, contentTag, pinnedImageRef, workerImageName, workerRepositoryId } from "./image-naming";

/** The agent worker package of this repository: its Dockerfile and build context. */
export const workerContextDir = path.join(__dirname, "..", "..", "worker");

/** Arguments of {@link WorkerImage}. */
export interface WorkerImageArgs {
  /** GCP project of the Artifact Registry repository. Required. */
  project: string;
  /** Region of the repository; the host pulls from `<region>-docker.pkg.dev`. Required. */
  region: string;
  /** Stack name, part of the repository ID. Required. */
  stack: string;
  /** Build context holding the Dockerfile. Defaults to {@link workerContextDir}. */
  contextDir?: string;
  /** Platform the image is built for. Defaults to `linux/amd64`, the architecture of GCE's x86 machine types. */
  platform?: string;
}

/**
 * The agent worker's container image: an Artifact Registry Docker repository, and the image built
 * from `worker/` (`@pulumi/docker`, with the machine's Docker engine) and pushed there with the
 * deploying identity's own Google credentials. The tag is a hash of the build context, so the same
 * sources always give the same name; {@link imageRef} pins the pushed image by digest.
 */
export class WorkerImage extends pulumi.ComponentResource {
  /** The repository images are pushed to. */
  public readonly repository: gcp.artifactregistry.Repository;
  /** The built and pushed image. */
  public readonly image: docker.Image;
  /** Registry host the VM must be allowed to pull from, `<region>-docker.pkg.dev`. */
  public readonly registryHost: string;
  /** SHA-256 of the build context (every file Docker sends, `.dockerignore` applied). */
  public readonly contextHash: string;
  /** The image name with its content tag: `<host>/<project>/<repository>/worker:<tag>`. */
  public readonly imageName: pulumi.Output<string>;
  /** What the host runs: the pushed digest `<repository>@sha256:…`, or the content-tagged name before one is known. */
  public readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: WorkerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:worker:WorkerImage", name, {}, opts);
    const contextDir = args.contextDir ?? workerContextDir;
    const platform = args.platform ?? "linux/amd64";

    this.registryHost = artifactRegistryHost(args.region);
    this.contextHash = buildContextHash(contextDir);
    this.repository = new gcp.artifactregistry.Repository(
      `${name}-repo`,
      {
        project: args.project,
        location: args.region,
        repositoryId: workerRepositoryId(args.stack),
        format: "DOCKER",
        description: `Agent Studio voice worker images (stack ${args.stack})`,
      },
      { parent: this },
    );
    this.imageName = this.repository.repositoryId.apply((repositoryId) =>
      workerImageName({ registryHost: this.registryHost, project: args.project, repositoryId, tag: contentTag(this.contextHash) }),
    );
    // Artifact Registry accepts an OAuth access token as the password of the user "oauth2accesstoken":
    // the push runs as whoever runs `pulumi up`, with no key file.
    const credentials = gcp.organizations.getClientConfigOutput({ parent: this });
    this.image = new docker.Image(
      `${name}-build`,
      {
        imageName: this.imageName,
        // Relative to the project directory `pulumi up` runs in, so state does not hold a machine's absolute path.
        build: { context: path.relative(process.cwd(), contextDir) || ".", platform },
        registry: { server: this.registryHost, username: "oauth2accesstoken", password: pulumi.secret(credentials.accessToken) },
      },
      { parent: this },
    );
    this.imageRef = pulumi.all([this.image.imageName, this.image.repoDigest]).apply(([imageName, repoDigest]) => pinnedImageRef(imageName, repoDigest));
    this.registerOutputs({ imageName: this.imageName, imageRef: this.imageRef });
  }
}
