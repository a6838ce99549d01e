import { readFileSync } from "node:fs";
import { checkServerIdentity, connect, type PeerCertificate } from "node:tls";
import { services } from "../../components/runtime-config/compose";
import { type CheckOutcome, type DoctorCheck, fail, pass } from "./check-result";
import { inspectServiceCommand } from "./host-commands";

/** Where to reach the TLS endpoint, and which name its certificate must carry. */
export interface TlsEndpoint {
  /** Address to connect to: the static IP, so DNS problems do not hide certificate problems. */
  host: string;
  /** Port, 443 in production. */
  port: number;
  /** The domain: sent as SNI and checked against the certificate. */
  servername: string;
  /** PEM file of extra trusted CAs (tests); production uses the system's roots. */
  caFile?: string;
}

/**
 * Fewer days than this before expiry is a failure: Caddy renews Let's Encrypt's 90-day
 * certificates about 30 days before they expire, so a certificate this close means renewal fails.
 */
export const minimumDaysLeft = 14;

const dayMs = 24 * 60 * 60 * 1000;

/** Connects and returns the peer certificate and whether its chain verified (no hostname check yet). */
function handshake(endpoint: TlsEndpoint, timeoutMs: number): Promise<{ cert: PeerCertificate; chainError: string | undefined }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: endpoint.host,
      port: endpoint.port,
      servername: endpoint.servername,
      ca: endpoint.caFile ? readFileSync(endpoint.caFile) : undefined,
      // The chain and the name are judged below, to report each problem in its own words.
      rejectUnauthorized: false,
      // Hostname checking happens explicitly in the check, never against the IP we connect to.
      checkServerIdentity: () => undefined,
      timeout: timeoutMs,
    });
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      const chainError = socket.authorized ? undefined : String(socket.authorizationError);
      socket.end();
      resolve({ cert, chainError });
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`no TLS handshake with ${endpoint.host}:${endpoint.port} within ${timeoutMs / 1000} s`));
    });
    socket.once("error", reject);
  });
}

/** The certificate on port 443 is trusted, names the domain and is not about to expire. */
export function tlsCertificateCheck(endpoint: TlsEndpoint, now: () => Date = () => new Date(), timeoutMs = 5000): DoctorCheck {
  const where = `${endpoint.host}:${endpoint.port}`;
  const caddy = `Caddy obtains and renews the certificate: ${inspectServiceCommand(services.caddy)}`;
  return {
    name: "tls",
    async run(): Promise<CheckOutcome> {
      let result: Awaited<ReturnType<typeof handshake>>;
      try {
        result = await handshake(endpoint, timeoutMs);
      } catch (error) {
        return fail(`no TLS on ${where}: ${(error as Error).message}`, `Port 443 must be open to the internet and Caddy running. ${caddy}`);
      }
      const { cert, chainError } = result;
      if (chainError) {
        return fail(
          `the certificate on ${where} is not trusted: ${chainError} (issuer ${cert.issuer?.CN ?? "unknown"})`,
          `Caddy serves its own fallback certificate until Let's Encrypt issues one; that needs the DNS line to pass and port 80 open. ${caddy}`,
        );
      }
      const mismatch = checkServerIdentity(endpoint.servername, cert);
      if (mismatch) {
        return fail(`the certificate on ${where} does not name ${endpoint.servername}: ${mismatch.message}`, `Set agent-studio-voice:domain to the name clients use and run \`pulumi up\`. ${caddy}`);
      }
      const validTo = new Date(cert.valid_to);
      const daysLeft = Math.floor((validTo.getTime() - now().getTime()) / dayMs);
      const until = `valid until ${validTo.toISOString().slice(0, 10)}`;
      if (daysLeft < minimumDaysLeft) {
        return fail(
          daysLeft < 0 ? `the certificate for ${endpoint.servername} expired on ${validTo.toISOString().slice(0, 10)}` : `the certificate for ${endpoint.servername} is ${until}, only ${daysLeft} days left`,
          `Renewal is failing. ${caddy}`,
        );
      }
      return pass(`certificate for ${endpoint.servername} ${until} (${daysLeft} days), issued by ${cert.issuer?.CN ?? cert.issuer?.O ?? "unknown"}`);
    },
  };
}
