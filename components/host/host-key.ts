/** A guest attribute as GCE reports it. */
export interface GuestAttribute {
  /** Attribute namespace, e.g. `hostkeys`. */
  namespace?: string;
  /** Attribute key, e.g. `ssh-ed25519`. */
  key?: string;
  /** Attribute value. */
  value?: string;
}

/** Host key algorithm the deploy connection pins; the Google guest agent publishes it for Debian 12. */
export const pinnedHostKeyType = "ssh-ed25519";

/**
 * The VM's SSH host key as an authorized_keys-style line, from the `hostkeys/` guest attributes the
 * Google guest agent publishes at boot, or `undefined` while it has not published one yet.
 */
export function hostKeyFromGuestAttributes(attributes: readonly GuestAttribute[]): string | undefined {
  const entry = attributes.find((a) => a.namespace === "hostkeys" && a.key === pinnedHostKeyType && a.value);
  if (!entry?.value) return undefined;
  const value = entry.value.trim();
  // The agent publishes "<type> <base64>"; older agents published only the base64 part.
  return value.startsWith(`${pinnedHostKeyType} `) ? value.split(" ").slice(0, 2).join(" ") : `${pinnedHostKeyType} ${value}`;
}
