/**
 * The only roles the voice host's service account holds: write logs, write metrics, pull the
 * worker image. Never the default compute account, never the cloud-platform scope.
 */
export const hostServiceAccountRoles: readonly string[] = [
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/artifactregistry.reader",
];

/** OAuth scopes matching those roles (Artifact Registry pulls are allowed by storage read-only). */
export const hostServiceAccountScopes: readonly string[] = [
  "https://www.googleapis.com/auth/logging.write",
  "https://www.googleapis.com/auth/monitoring.write",
  "https://www.googleapis.com/auth/devstorage.read_only",
];

/** A service account ID (6-30 chars, lower case) for the stack's voice host; node i ≥ 1 of several gets `-<i>` (kept within 30 chars). */
export function hostServiceAccountId(stack: string, node = 0): string {
  const suffix = node === 0 ? "" : `-${node}`;
  const id = `voice-host-${stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 30 - suffix.length).replace(/-+$/, "");
  return id.length >= 6 ? `${id}${suffix}` : `${id}-sa`.padEnd(6, "x") + suffix;
}
