import type { PolicyResource, ResourceValidation, ResourceValidationPolicy, StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { hostServiceAccountRoles } from "../components/host/service-account-roles";
import { describeResources, itemsOf, read, reportDeferred, sourcesOf, unknown } from "./preview-values";

/** Resource types that define a VM's boot security and service account. */
export const vmTypes: ReadonlySet<string> = new Set([
  "gcp:compute/instance:Instance",
  "gcp:compute/instanceTemplate:InstanceTemplate",
  "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
]);

/** Type token of a service account a stack creates. */
export const serviceAccountType = "gcp:serviceaccount/account:Account";

/** Project IAM grants to one member (`member`) or to several (`members`). */
const iamMemberTypes: ReadonlySet<string> = new Set(["gcp:projects/iAMMember:IAMMember"]);
const iamBindingTypes: ReadonlySet<string> = new Set(["gcp:projects/iAMBinding:IAMBinding"]);

/** The roles a VM's service account may hold: the voice host's (components/host/service-account-roles.ts). */
export const allowedVmRoles: ReadonlySet<string> = new Set(hostServiceAccountRoles);

// The default compute service account is `<project number>-compute@developer.gserviceaccount.com`;
// "default" asks GCE for it by name.
const defaultComputeAccount = /^(default|\d+-compute@developer\.gserviceaccount\.com)$/;
const cloudPlatformScope = /^(https:\/\/www\.googleapis\.com\/auth\/)?cloud-platform$/;

/** What a VM's properties say, and which of the checks wait for values not known yet. */
export interface VmFindings {
  /** One line per problem. */
  problems: string[];
  /** Checks whose value is not known until the update (a preview), one line each. */
  pending: string[];
}

/**
 * What is wrong with a VM's shielding and service account, judged on known values. An unknown
 * service account email is left to {@link validateVmServiceAccounts}, which sees where it comes from.
 */
export function vmFindings(props: Record<string, any>): VmFindings {
  const problems: string[] = [];
  const pending: string[] = [];
  const shielded = read(props, "shieldedInstanceConfig") ?? {};
  const flag = (key: string) => (shielded === unknown ? unknown : read(shielded, key));
  const secureBoot = flag("enableSecureBoot");
  if (secureBoot === unknown) pending.push("whether Secure Boot is on");
  else if (secureBoot !== true) problems.push("Secure Boot is off (set shieldedInstanceConfig.enableSecureBoot: true)");
  const vtpm = flag("enableVtpm");
  if (vtpm === unknown) pending.push("whether the vTPM is on");
  else if (vtpm === false) problems.push("the vTPM is off (shieldedInstanceConfig.enableVtpm)");
  const integrity = flag("enableIntegrityMonitoring");
  if (integrity === unknown) pending.push("whether integrity monitoring is on");
  else if (integrity === false) problems.push("integrity monitoring is off (shieldedInstanceConfig.enableIntegrityMonitoring)");
  // Both providers take one `serviceAccount` block; without one the VM has no service account at all.
  const account = read(props, "serviceAccount");
  if (account === unknown) pending.push("whether its scopes include cloud-platform");
  if (account === undefined || account === null || account === unknown) return { problems, pending };
  const email = read(account, "email");
  if (email !== unknown) {
    const name = email === undefined || email === null || email === "" ? "default" : String(email);
    if (defaultComputeAccount.test(name)) {
      problems.push(`it runs as the default compute service account (${name === "default" ? "no email given" : name}); give it its own least-privilege account`);
    }
  }
  const scopes = read(account, "scopes");
  const scopeItems = scopes === unknown ? [unknown] : (itemsOf(scopes) ?? []);
  if (scopeItems.some((s) => s !== unknown && cloudPlatformScope.test(String(s)))) {
    problems.push("it has the cloud-platform scope; list only the scopes its roles need (logging.write, monitoring.write, devstorage.read_only)");
  } else if (scopeItems.includes(unknown)) {
    pending.push("whether its scopes include cloud-platform");
  }
  return { problems, pending };
}

/**
 * Flags a VM or template that is not shielded, runs as the default compute account or has the
 * cloud-platform scope; a value not known at preview is named and checked at the update.
 */
export const validateShieldedLeastPrivilegeVm: ResourceValidation = (args, reportViolation) => {
  if (!vmTypes.has(args.type)) return;
  const { problems, pending } = vmFindings(args.props);
  for (const problem of problems) reportViolation(`VM ${args.name}: ${problem}.`);
  if (pending.length > 0) reportDeferred(reportViolation, `VM ${args.name}: ${pending.join(", ")} is not known until the update and is checked then.`);
};

/** A role granted by a project IAM resource, and to which service accounts of the stack. */
interface Grant {
  resource: PolicyResource;
  role: unknown;
  accounts: PolicyResource[];
}

/**
 * A service account's email: known once it exists, and before that fixed by its inputs, since GCP
 * names every user-managed account `<accountId>@<project>.iam.gserviceaccount.com`. Undefined when
 * neither is known (no project given: the provider's default applies).
 */
export function accountEmail(account: PolicyResource): string | undefined {
  const email = read(account.props, "email");
  if (typeof email === "string") return email;
  const id = read(account.props, "accountId");
  const project = read(account.props, "project");
  return typeof id === "string" && typeof project === "string" ? `${id}@${project}.iam.gserviceaccount.com` : undefined;
}

/** The stack's service accounts a member string names (`serviceAccount:<email>`). */
function accountsNamed(member: unknown, accounts: readonly PolicyResource[]): PolicyResource[] {
  if (typeof member !== "string") return [];
  return accounts.filter((a) => member === `serviceAccount:${accountEmail(a)}`);
}

/**
 * Every project role granted to a service account of this stack: by the member's known email, or,
 * when the member is not known yet (the account is created by the same update), by the account the
 * member is computed from.
 */
function grantsToAccounts(resources: readonly PolicyResource[], accounts: readonly PolicyResource[]): Grant[] {
  const fromSources = (resource: PolicyResource, property: string) => sourcesOf(resource, property).filter((s) => s.type === serviceAccountType);
  return resources.flatMap((resource): Grant[] => {
    const role = read(resource.props, "role");
    if (iamMemberTypes.has(resource.type)) {
      const member = read(resource.props, "member");
      const granted = member === unknown ? fromSources(resource, "member") : accountsNamed(member, accounts);
      return granted.length > 0 ? [{ resource, role, accounts: granted }] : [];
    }
    if (iamBindingTypes.has(resource.type)) {
      const members = read(resource.props, "members");
      const items = members === unknown ? [unknown] : (itemsOf(members) ?? []);
      const granted = new Set(items.flatMap((m) => accountsNamed(m, accounts)));
      if (items.includes(unknown)) for (const a of fromSources(resource, "members")) granted.add(a);
      return granted.size > 0 ? [{ resource, role, accounts: [...granted] }] : [];
    }
    return [];
  });
}

/** The service accounts of this stack a VM runs as, or why they cannot be named yet. */
function vmAccounts(vm: PolicyResource, accounts: readonly PolicyResource[]): { own: PolicyResource[]; foreign?: string; pending?: string } {
  const account = read(vm.props, "serviceAccount");
  if (account === undefined || account === null) return { own: [] };
  const email = account === unknown ? unknown : read(account, "email");
  if (email === unknown) {
    const sources = sourcesOf(vm, "serviceAccount");
    const own = sources.filter((s) => s.type === serviceAccountType);
    if (own.length > 0) return { own };
    return { own: [], pending: `its service account email is computed from ${describeResources(sources)}, not from a service account this stack creates, and is not known until the update` };
  }
  const name = email === undefined || email === null || email === "" ? "default" : String(email);
  // The resource validation already flags the default compute account.
  if (defaultComputeAccount.test(name)) return { own: [] };
  const own = accountsNamed(`serviceAccount:${name}`, accounts);
  if (own.length > 0) return { own };
  if (accounts.some((a) => accountEmail(a) === undefined)) {
    return { own: [], pending: `it runs as ${name}, and the emails of this stack's service accounts are not known until the update` };
  }
  return { own: [], foreign: name };
}

/**
 * Judges, at preview as at the update, whom a VM runs as and what that account may do: the VM's
 * service account must be one this stack creates (so its roles are visible here), and every project
 * role granted to it must be one of {@link allowedVmRoles}. At preview the email of an account the
 * update creates is unknown; the engine's property dependencies still show it flows from that
 * `gcp:serviceaccount/account:Account`, and the grants whose member is computed from it are its roles.
 */
export const validateVmServiceAccounts: StackValidation = (args, reportViolation) => {
  const accounts = args.resources.filter((r) => r.type === serviceAccountType);
  const grants = grantsToAccounts(args.resources, accounts);
  for (const vm of args.resources.filter((r) => vmTypes.has(r.type))) {
    const { own, foreign, pending } = vmAccounts(vm, accounts);
    if (foreign !== undefined) {
      reportViolation(
        `VM ${vm.name}: it runs as ${foreign}, a service account this stack does not create, so the roles it holds cannot be checked; ` +
          "create its own account (gcp.serviceaccount.Account) with only the roles it needs.",
        vm.urn,
      );
    }
    const deferred: string[] = pending === undefined ? [] : [pending];
    for (const grant of grants.filter((g) => g.accounts.some((a) => own.includes(a)))) {
      if (grant.role === unknown) {
        deferred.push(`the role ${grant.resource.name} grants its service account is not known until the update`);
      } else if (!allowedVmRoles.has(String(grant.role))) {
        reportViolation(
          `VM ${vm.name}: its service account (${own.map((a) => a.name).join(", ")}) is granted ${String(grant.role)} by ${grant.resource.name}; ` +
            `a VM's account holds only ${[...allowedVmRoles].join(", ")} (components/host/service-account-roles.ts).`,
          grant.resource.urn,
        );
      }
    }
    if (deferred.length > 0) reportDeferred(reportViolation, `VM ${vm.name}: ${deferred.join("; ")}; whom it runs as and what that account may do are checked then.`, vm.urn);
  }
};

/** The VM is shielded, runs as its own least-privilege service account and has no cloud-platform scope. */
export const shieldedLeastPrivilegeVm: ResourceValidationPolicy & StackValidationPolicy = {
  name: "shielded-least-privilege-vm",
  description:
    "VMs are shielded (Secure Boot, vTPM, integrity monitoring), run as a service account the stack creates with only the voice host's roles, never as the default compute service account, and never hold the cloud-platform scope.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateShieldedLeastPrivilegeVm,
  validateStack: validateVmServiceAccounts,
};
