import { validateShieldedLeastPrivilegeVm, validateVmServiceAccounts } from "../../../policy/shielded-least-privilege-vm";
import { resourceVerdict, resourceViolations, type ResourceUnderTest, stackVerdict, unknownString } from "../../utils/policy-args";

const goodVm = {
  shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
  serviceAccount: { email: "voice-host-prod@p.iam.gserviceaccount.com", scopes: ["https://www.googleapis.com/auth/logging.write"] },
};
const check = (props: Record<string, any>, type = "gcp:compute/instance:Instance") =>
  resourceViolations(validateShieldedLeastPrivilegeVm, { type, name: "vm", props });

describe("policy shielded-least-privilege-vm", () => {
  it("passes a shielded VM with its own account and narrow scopes", async () => {
    expect(await check(goodVm)).toEqual([]);
  });

  it("flags a VM without Secure Boot, or with vTPM or integrity monitoring off", async () => {
    expect(await check({ ...goodVm, shieldedInstanceConfig: undefined })).toEqual([expect.stringContaining("VM vm: Secure Boot is off")]);
    expect(await check({ ...goodVm, shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: false, enableIntegrityMonitoring: false } })).toEqual([
      expect.stringContaining("vTPM is off"),
      expect.stringContaining("integrity monitoring is off"),
    ]);
  });

  it.each([
    ["123456789012-compute@developer.gserviceaccount.com"],
    ["default"],
    [undefined],
  ])("flags the default compute service account (email %s)", async (email) => {
    const violations = await check({ ...goodVm, serviceAccount: { email, scopes: [] } });
    expect(violations).toEqual([expect.stringContaining("runs as the default compute service account")]);
  });

  it.each([["https://www.googleapis.com/auth/cloud-platform"], ["cloud-platform"]])("flags the %s scope", async (scope) => {
    const violations = await check({ ...goodVm, serviceAccount: { ...goodVm.serviceAccount, scopes: [scope] } });
    expect(violations).toEqual([expect.stringContaining("cloud-platform scope")]);
  });

  it("checks instance templates too, and nothing else", async () => {
    expect(await check({ serviceAccount: { scopes: ["cloud-platform"] } }, "gcp:compute/instanceTemplate:InstanceTemplate")).toHaveLength(3);
    expect(await check({}, "gcp:compute/disk:Disk")).toEqual([]);
  });

  it("at preview, names the shielding or scopes not known yet and leaves an unknown email to the stack check", async () => {
    const pending = await resourceVerdict(validateShieldedLeastPrivilegeVm, {
      type: "gcp:compute/instance:Instance",
      name: "vm",
      props: { shieldedInstanceConfig: { enableSecureBoot: unknownString }, serviceAccount: { email: unknownString, scopes: unknownString } },
    });
    expect(pending).toEqual({
      violations: [],
      deferred: ["Deferred to the update: VM vm: whether Secure Boot is on, whether its scopes include cloud-platform is not known until the update and is checked then."],
      urns: [],
    });
    const wholeBlock = await resourceVerdict(validateShieldedLeastPrivilegeVm, { type: "gcp:compute/instance:Instance", name: "vm", props: { ...goodVm, serviceAccount: unknownString } });
    expect(wholeBlock.deferred).toEqual([expect.stringContaining("VM vm: whether its scopes include cloud-platform is not known until the update")]);
  });
});

describe("policy shielded-least-privilege-vm over the stack: whom the VM runs as", () => {
  const account: ResourceUnderTest = { type: "gcp:serviceaccount/account:Account", name: "sa", props: { accountId: "voice-host-prod", email: unknownString } };
  const vm = (email: string, sources: string[]): ResourceUnderTest => ({
    type: "gcp:compute/instance:Instance",
    name: "vm",
    props: { ...goodVm, serviceAccount: { ...goodVm.serviceAccount, email } },
    propertyDependencies: { serviceAccount: sources },
  });
  const grant = (name: string, role: string, member: string, sources: string[] = []): ResourceUnderTest => ({
    type: "gcp:projects/iAMMember:IAMMember",
    name,
    props: { project: "p", role, member },
    propertyDependencies: { member: sources },
  });
  const check = (resources: ResourceUnderTest[]) => stackVerdict(validateVmServiceAccounts, resources);

  it("passes a VM whose unknown email flows from the stack's own account, granted only the host's roles", async () => {
    const grants = [grant("logs", "roles/logging.logWriter", unknownString, ["sa"]), grant("pull", "roles/artifactregistry.reader", unknownString, ["sa"])];
    expect(await check([account, ...grants, vm(unknownString, ["sa"])])).toEqual({ violations: [], deferred: [], urns: [] });
  });

  it("fails a broader role granted to that account, by dependency at preview and by email at the update", async () => {
    const atPreview = await check([account, grant("owner", "roles/owner", unknownString, ["sa"]), vm(unknownString, ["sa"])]);
    expect(atPreview.violations).toEqual([expect.stringContaining("VM vm: its service account (sa) is granted roles/owner by owner; a VM's account holds only roles/logging.logWriter")]);
    const email = "voice-host-prod@p.iam.gserviceaccount.com";
    const known = { ...account, props: { ...account.props, email } };
    const atUpdate = await check([known, grant("owner", "roles/owner", `serviceAccount:${email}`), grant("other", "roles/owner", "user:someone@example.com"), vm(email, [])]);
    expect(atUpdate.violations).toEqual([expect.stringContaining("is granted roles/owner by owner")]);
  });

  it("fails a VM running as an account the stack does not create, and defers one whose email comes from elsewhere", async () => {
    const known = { ...account, props: { ...account.props, email: "voice-host-prod@p.iam.gserviceaccount.com" } };
    expect((await check([known, vm("ops@other.iam.gserviceaccount.com", [])])).violations).toEqual([
      expect.stringContaining("VM vm: it runs as ops@other.iam.gserviceaccount.com, a service account this stack does not create"),
    ]);
    // At preview the account's email is fixed by its ID and project already.
    const creating = { ...account, props: { ...account.props, project: "p" } };
    expect(await check([creating, vm("voice-host-prod@p.iam.gserviceaccount.com", [])])).toEqual({ violations: [], deferred: [], urns: [] });
    expect((await check([creating, vm("ops@other.iam.gserviceaccount.com", [])])).violations).toEqual([expect.stringContaining("a service account this stack does not create")]);
    expect((await check([account, vm("ops@other.iam.gserviceaccount.com", [])])).deferred).toEqual([
      expect.stringContaining("it runs as ops@other.iam.gserviceaccount.com, and the emails of this stack's service accounts are not known until the update"),
    ]);
    const lookup: ResourceUnderTest = { type: "command:local:Command", name: "lookup", props: { stdout: unknownString } };
    expect(await check([account, lookup, vm(unknownString, ["lookup"])])).toEqual({
      violations: [],
      deferred: [expect.stringContaining("VM vm: its service account email is computed from command:local:Command lookup, not from a service account this stack creates")],
      urns: [],
    });
  });
});
