import { Resolver } from "node:dns/promises";
import { type CheckOutcome, type DoctorCheck, fail, pass } from "./check-result";

/** The part of `dns.promises.Resolver` the check uses, so tests can point it at a loopback server. */
export interface ARecordResolver {
  resolve4(hostname: string): Promise<string[]>;
}

/** A resolver using the system's DNS servers, or `servers` (`ip` or `ip:port`) when given. */
export function dnsResolver(servers?: readonly string[]): ARecordResolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  return resolver;
}

/** The address the domain must resolve to, and who needs it to for a certificate. */
export interface DnsTarget {
  /** What the address is, in the report (`the static IP`). */
  label: string;
  /** Why the record matters, ending the fix. */
  why: string;
  /** Who else reaches the domain by name, besides clients. */
  issuer: string;
}

/** One host: Caddy gets the domain's certificate from Let's Encrypt at the static IP. */
export const staticIpTarget: DnsTarget = {
  label: "the static IP",
  why: "Caddy cannot get a certificate until the name resolves to the static IP.",
  issuer: "Let's Encrypt",
};

/** Several nodes: the domain is the load balancer's, whose Google-managed certificate needs the name to resolve to it. */
export const loadBalancerTarget: DnsTarget = {
  label: "the load balancer's IP",
  why: "Google issues the load balancer's certificate only once the name resolves to its IP (the stack output nodes.loadBalancerIp).",
  issuer: "Google's certificate authority",
};

/** The domain's A record resolves to the target address (the static IP by default), and only to it. */
export function dnsRecordCheck(domain: string, address: string, resolver: ARecordResolver, target: DnsTarget = staticIpTarget): DoctorCheck {
  const record = `${domain}. A ${address}`;
  const fix = `Create the record \`${record}\` at your DNS provider (or set agent-studio-voice:dnsManagedZone and run \`pulumi up\`); ${target.why}`;
  return {
    name: "dns",
    async run(): Promise<CheckOutcome> {
      let addresses: string[];
      try {
        addresses = await resolver.resolve4(domain);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOTFOUND" || code === "ENODATA") return fail(`${domain} has no A record (${code})`, fix);
        throw error;
      }
      if (!addresses.includes(address)) return fail(`${domain} resolves to ${addresses.join(", ")}, not ${target.label} ${address}`, fix);
      if (addresses.length > 1) {
        return fail(
          `${domain} resolves to ${addresses.join(", ")}: ${target.label} and others`,
          `Remove the A records other than \`${record}\`: clients and ${target.issuer} would sometimes reach another host.`,
        );
      }
      return pass(`${domain} → ${address}`);
    },
  };
}
