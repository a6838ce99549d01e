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

/** The domain's A record resolves to the static IP (and only to it). */
export function dnsRecordCheck(domain: string, staticIp: string, resolver: ARecordResolver): DoctorCheck {
  const record = `${domain}. A ${staticIp}`;
  const fix = `Create the record \`${record}\` at your DNS provider (or set agent-studio-voice:dnsManagedZone and run \`pulumi up\`); ` +
    `Caddy cannot get a certificate until the name resolves to the static IP.`;
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
      if (!addresses.includes(staticIp)) return fail(`${domain} resolves to ${addresses.join(", ")}, not the static IP ${staticIp}`, fix);
      if (addresses.length > 1) {
        return fail(
          `${domain} resolves to ${addresses.join(", ")}: the static IP and others`,
          `Remove the A records other than \`${record}\`: clients and Let's Encrypt would sometimes reach another host.`,
        );
      }
      return pass(`${domain} → ${staticIp}`);
    },
  };
}
