/**
 * Every version the stack runs, declared once. The compose file deploys these images and the
 * test harness builds these exact tags from the Go module proxy, so what is tested is what ships.
 * Never `latest`: a moving tag would make two `pulumi up` runs of the same commit differ.
 */
export const versions = {
  /** livekit-server release; image `livekit/livekit-server:<tag>`, Go module github.com/livekit/livekit-server. */
  livekitServer: "v1.13.5",
  /** livekit-sip release; image `livekit/sip:<tag>`, Go module github.com/livekit/sip. */
  livekitSip: "v1.8.0",
  /** Redis image tag (shared bus between livekit-server and livekit-sip). */
  redis: "7.4.2-alpine",
  /** Caddy image tag (TLS termination for wss signaling, ACME certificates). */
  caddy: "2.9.1-alpine",
  /**
   * Docker Compose CLI release the harness builds to judge every rendered compose file. The host's
   * `docker compose` plugin (the startup script installs Docker's current `docker-compose-plugin`)
   * must be at least this version.
   */
  compose: "v2.32.4",
  /**
   * Google Cloud Ops Agent release the startup script installs (Debian package
   * `google-cloud-ops-agent=<version>~debian12`); its config validator judged the rendered config.
   */
  opsAgent: "2.70.0",
} as const;

/** The Debian 12 package version of the pinned Ops Agent (`apt-get install google-cloud-ops-agent=<it>`). */
export const opsAgentPackageVersion = `${versions.opsAgent}~debian12`;

/** Container image references, derived from {@link versions}. */
export const images = {
  livekitServer: `livekit/livekit-server:${versions.livekitServer}`,
  livekitSip: `livekit/sip:${versions.livekitSip}`,
  redis: `redis:${versions.redis}`,
  caddy: `caddy:${versions.caddy}`,
} as const;
