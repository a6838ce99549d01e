import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { composeServices, type EnvEntry, envListEntries } from "./container-specs";
import { isLiteralValue, isSecretName, secretsInText } from "./secret-text";
import { formatPath, stringsIn, walkValues } from "./walk-values";

/** Resource types whose `metadata` map becomes GCE instance or project metadata. */
export const metadataTypes: ReadonlySet<string> = new Set([
  "gcp:compute/instance:Instance",
  "gcp:compute/instanceTemplate:InstanceTemplate",
  "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
  "gcp:compute/projectMetadata:ProjectMetadata",
]);

const projectMetadataItemType = "gcp:compute/projectMetadataItem:ProjectMetadataItem";

const clearEnv = (entries: readonly EnvEntry[]): string[] =>
  entries.filter((e) => isSecretName(e.name) && isLiteralValue(e.value)).map((e) => e.name);

/** Secret-named variables given literal values in container environments anywhere in the properties. */
function containerEnvFindings(props: Record<string, any>): string[] {
  const findings: string[] = [];
  for (const { value, path } of stringsIn(props)) {
    for (const service of composeServices(value)) {
      for (const name of clearEnv(service.environment)) {
        findings.push(`the compose file in ${formatPath(path)} gives service ${service.name} ${name} in clear`);
      }
    }
  }
  walkValues(props, (value, path) => {
    const key = path[path.length - 1];
    if (key !== "envs" && key !== "env") return;
    for (const name of clearEnv(envListEntries(value))) findings.push(`${formatPath(path)} sets ${name} in clear`);
  });
  return findings;
}

/** Metadata entries that are named like secrets or hold one. */
function metadataFindings(entries: [string, unknown][]): string[] {
  return entries.flatMap(([key, value]) => {
    const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
    if (isSecretName(key) && isLiteralValue(text)) return [`metadata key ${key} holds a secret`];
    return secretsInText(text).map((finding) => `metadata ${key} holds ${finding}`);
  });
}

function metadataEntries(type: string, props: Record<string, any>): [string, unknown][] {
  if (type === projectMetadataItemType) return [[String(props.key), props.value]];
  if (!metadataTypes.has(type)) return [];
  const entries: [string, unknown][] = Object.entries(props.metadata ?? {});
  if (props.metadataStartupScript !== undefined) entries.push(["metadataStartupScript", props.metadataStartupScript]);
  return entries;
}

/**
 * Flags secrets in clear where no Pulumi secret marking protects them: container environments
 * (visible to `docker inspect` and in the deployed compose file) and GCE metadata (readable by
 * every process on the VM and by anyone who can view the instance). Names the place, never the value.
 */
export const validateNoClearSecrets: ResourceValidation = (args, reportViolation) => {
  const metadata = metadataEntries(args.type, args.props);
  const findings = [...containerEnvFindings(args.props), ...metadataFindings(metadata)];
  for (const finding of findings) {
    reportViolation(
      `${args.name}: ${finding}. Keep secrets out of container environments and instance metadata: ` +
        "mount them as files with mode 0600 (a compose secret, or a NAME_FILE variable pointing at one) or reference them (${VAR}).",
    );
  }
};

/** No secret appears in clear in a container environment or in instance/project metadata. */
export const noClearSecrets: ResourceValidationPolicy = {
  name: "no-clear-secrets",
  description: "No secret appears in clear in a container environment or in GCE instance or project metadata.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateNoClearSecrets,
};
