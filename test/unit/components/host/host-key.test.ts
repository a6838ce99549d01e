import { hostKeyFromGuestAttributes, hostServiceAccountId } from "../../../../components/host";

describe("hostKeyFromGuestAttributes", () => {
  it("reads the ed25519 key the guest agent publishes, in either form", () => {
    expect(hostKeyFromGuestAttributes([{ namespace: "hostkeys", key: "ssh-ed25519", value: "ssh-ed25519 AAAAkey host\n" }])).toBe("ssh-ed25519 AAAAkey");
    expect(hostKeyFromGuestAttributes([{ namespace: "hostkeys", key: "ssh-ed25519", value: "AAAAkey" }])).toBe("ssh-ed25519 AAAAkey");
  });

  it("waits (undefined) until the key is published, ignoring other key types", () => {
    expect(hostKeyFromGuestAttributes([])).toBeUndefined();
    expect(hostKeyFromGuestAttributes([{ namespace: "hostkeys", key: "ssh-rsa", value: "AAAArsa" }])).toBeUndefined();
  });
});

describe("hostServiceAccountId", () => {
  it("fits GCP's 6-30 character rule for any stack name", () => {
    for (const stack of ["prod", "a", "Staging_EU", "a-very-long-stack-name-for-a-feature-branch"]) {
      expect(hostServiceAccountId(stack)).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    }
  });

  it("gives node i of several its own ID, within the rule, node 0 keeping the single host's", () => {
    expect(hostServiceAccountId("prod", 0)).toBe(hostServiceAccountId("prod"));
    expect(hostServiceAccountId("prod", 2)).toBe("voice-host-prod-2");
    const ids = [0, 1, 9, 10].map((node) => hostServiceAccountId("a-very-long-stack-name-for-a-feature-branch", node));
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(hostServiceAccountId("a", 1)).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
  });
});
