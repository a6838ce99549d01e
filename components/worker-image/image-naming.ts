/** The Artifact Registry host of a region's Docker repositories, e.g. `us-central1-docker.pkg.dev`. */
export function artifactRegistryHost(region: string): string {
  return `${region}-docker.pkg.dev`;
}

/**
 * The Artifact Registry repository ID for a stack's worker images: lower-case letters, digits and
 * hyphens, starting with a letter, at most 63 characters (Artifact Registry's rule), one per stack
 * so stacks sharing a project never overwrite each other's images.
 */
export function workerRepositoryId(stack: string): string {
  const id = `agent-studio-voice-${stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 63);
  return id.replace(/-+$/, "");
}

/** Characters of the build context hash an image tag keeps: 64 bits, ample to tell builds apart. */
export const tagLength = 16;

/** The image tag for a build context hash: its first {@link tagLength} hex digits. */
export function contentTag(contextHash: string): string {
  return contextHash.slice(0, tagLength);
}

/** `<region>-docker.pkg.dev/<project>/<repository>/worker:<tag>`. */
export function workerImageName(parts: { registryHost: string; project: string; repositoryId: string; tag: string }): string {
  return `${parts.registryHost}/${parts.project}/${parts.repositoryId}/worker:${parts.tag}`;
}

/**
 * The reference the host pulls: the pushed image's digest (`<repository>@sha256:…`) when the
 * registry reported one, else the content-tagged name, which is pinned too (the tag names one
 * build context). Only a well-formed sha256 digest is taken.
 */
export function pinnedImageRef(imageName: string, repoDigest: string | undefined): string {
  return repoDigest !== undefined && /^[^@\s]+@sha256:[0-9a-f]{64}$/.test(repoDigest) ? repoDigest : imageName;
}
