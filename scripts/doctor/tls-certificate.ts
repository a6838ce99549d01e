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

/** Which TLS endpoint a check judges, and what to say when it fails. */
export interface TlsRole {
  /** Check name. */
  name: string;
  /** What must hold for a TLS handshake to happen at all. */
  unreachable: string;
  /** How to fix a certificate for another name. */
  wrongName: string;
  /** Who obtains and renews the certificate, ending each fix. Defaults to Caddy on the host. */
  renewer?: string;
  /** Why the certificate may not be trusted yet. Defaults to Caddy's fallback certificate. */
  untrusted?: string;
}

/** Several nodes: the load balancer serves `wss://<domain>` and the API on 443 with a Google-managed certificate. */
export const loadBalancerTlsRole: TlsRole = {
  name: "tls",
  unreachable: "The load balancer's forwarding rule must exist (`pulumi up` creates it) and at least one node pass its health check.",
  wrongName: "Set agent-studio-voice:domain to the name clients use and run `pulumi up`: the managed certificate is made for it.",
  renewer: "Google obtains and renews the load balancer's certificate: `gcloud compute ssl-certificates list` shows its status.",
  untrusted: "The certificate stays PROVISIONING until the domain resolves to the load balancer's IP (the dns line), which can take up to an hour.",
};

/** Caddy's own endpoint: wss signaling and the LiveKit API on 443. */
export const caddyTlsRole: TlsRole = {
  name: "tls",
  unreachable: "Port 443 must be open to the internet and Caddy running.",
  wrongName: "Set agent-studio-voice:domain to the name clients use and run `pulumi up`.",
};

/** livekit-sip's SIP over TLS (secure trunking), serving the certificate Caddy obtains for the SIP host name. */
export const sipTlsRole: TlsRole = {
  name: "sip-tls",
  unreachable:
    `Port 5061 must be open to this machine (the firewall admits carrierSignalingCidrs only: run the doctor from inside them, or --skip sip-tls) ` +
    `and livekit-sip running, which exits while Caddy has no certificate for the SIP host name yet: ${inspectServiceCommand(services.sip)}.`,
  wrongName: "livekit-sip serves the certificate of sip.<domain> from Caddy's data volume: run `pulumi up` so its config names the stack's SIP host.",
};

/** The certificate on the endpoint (443 by default) is trusted, names the server name and is not about to expire. */
export function tlsCertificateCheck(endpoint: TlsEndpoint, now: () => Date = () => new Date(), timeoutMs = 5000, role: TlsRole = caddyTlsRole): DoctorCheck {
  const where = `${endpoint.host}:${endpoint.port}`;
  const caddy = role.renewer ?? `Caddy obtains and renews the certificate: ${inspectServiceCommand(services.caddy)}`;
  return {
    name: role.name,
    async run(): Promise<CheckOutcome> {
      let result: Awaited<ReturnType<typeof handshake>>;
      try {
        result = await handshake(endpoint, timeoutMs);
      } catch (error) {
        return fail(`no TLS on ${where}: ${(error as Error).message}`, `${role.unreachable} ${caddy}`);
      }
      const { cert, chainError } = result;
      if (chainError) {
        return fail(
          `the certificate on ${where} is not trusted: ${chainError} (issuer ${cert.issuer?.CN ?? "unknown"})`,
          `${role.untrusted ?? "Caddy serves its own fallback certificate until Let's Encrypt issues one; that needs the DNS line to pass and port 80 open."} ${caddy}`,
        );
      }
      const mismatch = checkServerIdentity(endpoint.servername, cert);
      if (mismatch) {
        return fail(`the certificate on ${where} does not name ${endpoint.servername}: ${mismatch.message}`, `${role.wrongName} ${caddy}`);
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
