/**
 * Secure trunking's fixed names and places: the SIP host name the carrier reaches over TLS, the
 * port, and where livekit-sip finds the certificate Caddy obtains and renews for that name.
 */

/** SIP over TLS port (livekit-sip's default, and the port Twilio's secure trunks use). */
export const sipTlsPort = 5061;

/**
 * A node's SIP host name under the stack's domain: the name in its certificate and in its Twilio
 * origination URL. Node 0 (the single host) keeps `sip.<domain>`; node i is `sip-<i>.<domain>`.
 */
export function sipHostName(domain: string, node = 0): string {
  return node === 0 ? `sip.${domain}` : `sip-${node}.${domain}`;
}

/** Where livekit-sip's container mounts Caddy's data volume, read-only. */
export const caddyDataMount = "/caddy-data";

/**
 * Caddy's storage folder of the ACME issuer the Caddyfile pins for the SIP host (Let's Encrypt's
 * production directory): pinned, since Caddy's fallback issuer would store the certificate elsewhere.
 */
export const caddyIssuerFolder = "acme-v02.api.letsencrypt.org-directory";

/**
 * The certificate chain and key Caddy keeps for `sipHost` in its data directory (`/data` in Caddy's
 * container, holding `caddy/certificates/<issuer>/<name>/<name>.crt|.key`), as seen under `dataDir`.
 */
export function sipCertificateFiles(sipHost: string, dataDir: string = caddyDataMount): { certFile: string; keyFile: string } {
  const dir = `${dataDir}/caddy/certificates/${caddyIssuerFolder}/${sipHost}`;
  return { certFile: `${dir}/${sipHost}.crt`, keyFile: `${dir}/${sipHost}.key` };
}
