import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";

/** Resource types that define a VM's boot security and service account. */
export const vmTypes: ReadonlySet<string> = new Set([
  "gcp:compute/instance:Instance",
  "gcp:compute/instanceTemplate:InstanceTemplate",
  "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
]);

// The default compute service account is `<project number>-compute@developer.gserviceaccount.com`;
// "default" asks GCE for it by name.
const defaultComputeAccount = /^(default|\d+-compute@developer\.gserviceaccount\.com)$/;
const cloudPlatformScope = /^(https:\/\/www\.googleapis\.com\/auth\/)?cloud-platform$/;

/** What is wrong with a VM's shielding and service account, one line per problem. */
export function vmProblems(props: Record<string, any>): string[] {
  const problems: string[] = [];
  const shielded = props.shieldedInstanceConfig ?? {};
  if (shielded.enableSecureBoot !== true) problems.push("Secure Boot is off (set shieldedInstanceConfig.enableSecureBoot: true)");
  if (shielded.enableVtpm === false) problems.push("the vTPM is off (shieldedInstanceConfig.enableVtpm)");
  if (shielded.enableIntegrityMonitoring === false) problems.push("integrity monitoring is off (shieldedInstanceConfig.enableIntegrityMonitoring)");
  // Both providers take one `serviceAccount` block; without one the VM has no service account at all.
  const account = props.serviceAccount;
  if (account !== undefined && account !== null) {
    const email = account.email === undefined || account.email === null || account.email === "" ? "default" : String(account.email);
    if (defaultComputeAccount.test(email)) {
      problems.push(`it runs as the default compute service account (${email === "default" ? "no email given" : email}); give it its own least-privilege account`);
    }
    const scopes: unknown[] = Array.isArray(account.scopes) ? account.scopes : [];
    if (scopes.some((s) => cloudPlatformScope.test(String(s)))) {
      problems.push("it has the cloud-platform scope; list only the scopes its roles need (logging.write, monitoring.write, devstorage.read_only)");
    }
  }
  return problems;
}

/** Flags a VM or template that is not shielded, runs as the default compute account or has the cloud-platform scope. */
export const validateShieldedLeastPrivilegeVm: ResourceValidation = (args, reportViolation) => {
  if (!vmTypes.has(args.type)) return;
  for (const problem of vmProblems(args.props)) {
    reportViolation(`VM ${args.name}: ${problem}.`);
  }
};

/** The VM is shielded, does not use the default compute service account and has no cloud-platform scope. */
export const shieldedLeastPrivilegeVm: ResourceValidationPolicy = {
  name: "shielded-least-privilege-vm",
  description: "VMs are shielded (Secure Boot, vTPM, integrity monitoring), never run as the default compute service account and never hold the cloud-platform scope.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateShieldedLeastPrivilegeVm,
};
