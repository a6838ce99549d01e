import type { ResourceValidation, ResourceValidationPolicy, StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { composeServices, type EnvEntry, envListEntries, unknownContainerSpecPaths } from "./container-specs";
import { describeResources, entriesOf, read, reportDeferred, sourcesOf, unknown } from "./preview-values";
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

/** Metadata entries that are named like secrets or hold one (values not known yet are judged at the stack level). */
function metadataFindings(entries: [string, unknown][]): string[] {
  return entries.flatMap(([key, value]) => {
    if (value === unknown) return [];
    const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
    if (isSecretName(key) && isLiteralValue(text)) return [`metadata key ${key} holds a secret`];
    return secretsInText(text).map((finding) => `metadata ${key} holds ${finding}`);
  });
}

/** A metadata entry: its key, its value ({@link unknown} at preview when computed) and the property it sits in. */
interface MetadataEntry {
  key: string;
  value: unknown;
  property: string;
}

function metadataEntries(type: string, props: Record<string, any>): MetadataEntry[] {
  if (type === projectMetadataItemType) {
    const key = read(props, "key");
    return [{ key: key === unknown ? "(a key not known until the update)" : String(key), value: read(props, "value"), property: "value" }];
  }
  if (!metadataTypes.has(type)) return [];
  const metadata = read(props, "metadata");
  const entries: MetadataEntry[] =
    metadata === unknown
      ? [{ key: "(the whole map)", value: unknown, property: "metadata" }]
      : entriesOf(metadata).map(([key, value]) => ({ key, value, property: "metadata" }));
  const startup = read(props, "metadataStartupScript");
  if (startup !== undefined) entries.push({ key: "metadataStartupScript", value: startup, property: "metadataStartupScript" });
  return entries;
}

const fixLine =
  "Keep secrets out of container environments and instance metadata: " +
  "mount them as files with mode 0600 (a compose secret, or a NAME_FILE variable pointing at one) or reference them (${VAR}).";

/**
 * Flags secrets in clear where no Pulumi secret marking protects them: container environments
 * (visible to `docker inspect` and in the deployed compose file) and GCE metadata (readable by
 * every process on the VM and by anyone who can view the instance). Names the place, never the value.
 */
export const validateNoClearSecrets: ResourceValidation = (args, reportViolation) => {
  const metadata = metadataEntries(args.type, args.props).map((e): [string, unknown] => [e.key, e.value]);
  const findings = [...containerEnvFindings(args.props), ...metadataFindings(metadata)];
  for (const finding of findings) reportViolation(`${args.name}: ${finding}. ${fixLine}`);
};

const sshKeysKeys = new Set(["ssh-keys", "sshKeys"]);
const privateKeyType = "tls:index/privateKey:PrivateKey";

/**
 * Judges at preview the values {@link validateNoClearSecrets} cannot read yet, by where they come
 * from (the engine's property dependencies, which only a stack validation sees): a secret-named
 * metadata key fails whatever its value; `ssh-keys` computed from a key this stack generates
 * (tls PrivateKey) passes, the public half being checked at the update; any other unknown metadata
 * value, compose file or environment is named with its sources and checked at the update. Once
 * the update knows every value this reports nothing: the resource validation has judged them.
 */
export const validateNoClearSecretsAtPreview: StackValidation = (args, reportViolation) => {
  for (const resource of args.resources) {
    const deferred: string[] = [];
    for (const { key, value, property } of metadataEntries(resource.type, resource.props)) {
      if (value !== unknown) continue;
      const sources = sourcesOf(resource, property);
      if (isSecretName(key)) {
        reportViolation(`${resource.name}: metadata key ${key} will hold a value computed from ${describeResources(sources)}, a secret in clear by its name. ${fixLine}`, resource.urn);
      } else if (sshKeysKeys.has(key) && sources.some((s) => s.type === privateKeyType)) {
        const keys = sources.filter((s) => s.type === privateKeyType).map((s) => s.name);
        deferred.push(`metadata ${key} comes from the key this stack generates (${keys.join(", ")}); that it holds only the public half is checked once its value is known`);
      } else {
        deferred.push(`metadata ${key} is computed from ${describeResources(sources)}; it is checked for secrets once its value is known`);
      }
    }
    for (const path of unknownContainerSpecPaths(resource.props)) {
      const sources = sourcesOf(resource, String(path[0]));
      deferred.push(`${formatPath(path)} is computed from ${describeResources(sources)}; its container environment is checked for secrets in clear once its value is known`);
    }
    if (deferred.length > 0) reportDeferred(reportViolation, `${resource.name}: ${deferred.join("; ")}.`, resource.urn);
  }
};

/** No secret appears in clear in a container environment or in instance/project metadata. */
export const noClearSecrets: ResourceValidationPolicy & StackValidationPolicy = {
  name: "no-clear-secrets",
  description: "No secret appears in clear in a container environment or in GCE instance or project metadata.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateNoClearSecrets,
  validateStack: validateNoClearSecretsAtPreview,
};
