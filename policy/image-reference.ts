/** A container image reference split into its parts. */
export interface ImageReference {
  /** Registry and repository, e.g. `livekit/livekit-server`. */
  name: string;
  /** Tag, when one is given. */
  tag?: string;
  /** Digest (`sha256:…`), when one is given. */
  digest?: string;
}

/** Splits `registry[:port]/repo[:tag][@digest]`; a colon before the last `/` belongs to the registry. */
export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf("@");
  const withoutDigest = at === -1 ? reference : reference.slice(0, at);
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  const hasTag = colon > slash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag && { tag: withoutDigest.slice(colon + 1) }),
    ...(digest !== undefined && { digest }),
  };
}

// A release (`v1.13.5`, `7.4.2-alpine`, `2.9`) or an immutable build ID (a commit or content hash).
const releaseTag = /^v?\d+\.\d+([.\-+_][A-Za-z0-9.\-+_]*)?$/;
const buildIdTag = /^(sha-)?[0-9a-f]{7,64}$/;

/**
 * Why `reference` is not pinned to a version, or undefined when it is: a `sha256` digest, or a
 * tag naming a release (major.minor at least) or a build ID. `latest`, a missing tag and moving
 * tags such as `stable` or a bare major (`7`) would let two deploys of one commit run different code.
 */
export function imagePinProblem(reference: string): string | undefined {
  const { tag, digest } = parseImageReference(reference);
  if (digest !== undefined) {
    return /^sha256:[0-9a-f]{64}$/.test(digest) ? undefined : `its digest "${digest}" is not a sha256 digest`;
  }
  if (tag === undefined || tag === "") return "it has no tag, so every pull takes whatever `latest` is then";
  if (tag === "latest") return "it uses the moving tag `latest`";
  if (!releaseTag.test(tag) && !buildIdTag.test(tag)) {
    return `its tag "${tag}" names no release (expected e.g. v1.13.5, 7.4.2-alpine, a commit hash or a sha256 digest)`;
  }
  return undefined;
}
