import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { composeServices } from "./container-specs";
import { imagePinProblem } from "./image-reference";
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
  if (type === dockerBuildImageType && Array.isArray(props.tags)) {
    props.tags.forEach((tag: unknown, i: number) => found.push({ reference: String(tag), where: `tags[${i}]` }));
  }
  return found;
}

/** Flags a container image that is not pinned to a version: `latest`, no tag, or a moving tag. */
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
};

/** Container images are pinned to a version: no `latest`, no missing tag. */
export const pinnedImages: ResourceValidationPolicy = {
  name: "pinned-images",
  description: "Container images are pinned to a release tag or digest: never `latest`, never untagged.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validatePinnedImages,
};
