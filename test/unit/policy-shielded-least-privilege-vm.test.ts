import { validateShieldedLeastPrivilegeVm } from "../../policy/shielded-least-privilege-vm";
import { resourceViolations } from "../utils/policy-args";

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
});
