import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { composeServices, unknownContainerSpecPaths } from "./container-specs";
import { imagePinProblem } from "./image-reference";
import { itemsOf, read, reportDeferred, unknown } from "./preview-values";
import { formatPath, stringsIn, walkValues } from "./walk-values";

// Property names that hold a container image reference in the docker, docker-build, Cloud Run
// and Kubernetes providers. GCE (`gcp:compute/…`) uses `image` for VM boot images, which are not
// container images, so its resources are read for compose documents only.
const imageKeys = new Set(["image", "imageName"]);
const dockerBuildImageType = "docker-build:index:Image";

/** Every container image reference in a resource's properties, with where it was found. */
export function imageReferences(type: string, props: Record<string, any>): { reference: string; where: string }[] {
  const found: { reference: string; where: string }[] = [];
  for (const { value, path } of stringsIn(props)) {
    for (const service of composeServices(value)) {
      if (service.image !== undefined) found.push({ reference: service.image, where: `service ${service.name} of the compose file in ${formatPath(path)}` });
    }
  }
  if (!type.startsWith("gcp:compute/")) {
    walkValues(props, (value, path) => {
      const key = path[path.length - 1];
      if (typeof key === "string" && imageKeys.has(key) && typeof value === "string") found.push({ reference: value, where: formatPath(path) });
    });
  }
  if (type === dockerBuildImageType) {
    (itemsOf(read(props, "tags")) ?? []).forEach((tag, i) => {
      if (tag !== unknown) found.push({ reference: String(tag), where: `tags[${i}]` });
    });
  }
  return found;
}

/**
 * Flags a container image that is not pinned to a version: `latest`, no tag, or a moving tag. An
 * image reference or compose file not known at preview is named, and checked at the update.
 */
export const validatePinnedImages: ResourceValidation = (args, reportViolation) => {
  for (const { reference, where } of imageReferences(args.type, args.props)) {
    const problem = imagePinProblem(reference);
    if (problem !== undefined) {
      reportViolation(
        `${args.name}: image "${reference}" (${where}) is not pinned: ${problem}. ` +
          "Pin a release tag (components/versions.ts, or the stack's *Version config) or a sha256 digest.",
      );
    }
  }
  // GCE's `image` fields name VM boot images, never container images.
  const pending = args.type.startsWith("gcp:compute/") ? [] : unknownContainerSpecPaths(args.props);
  if (pending.length > 0) {
    reportDeferred(
      reportViolation,
      `${args.name}: ${pending.map(formatPath).join(", ")} ${pending.length === 1 ? "is" : "are"} not known until the update; the container images ${pending.length === 1 ? "it names" : "they name"} are checked for pins then.`,
    );
  }
};

/** Container images are pinned to a version: no `latest`, no missing tag. */
export const pinnedImages: ResourceValidationPolicy = {
  name: "pinned-images",
  description: "Container images are pinned to a release tag or digest: never `latest`, never untagged.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validatePinnedImages,
};
