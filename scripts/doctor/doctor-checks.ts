import { projectNamespace } from "../../components/config/fields";
import { staticProviderConfig } from "../../providers/base/provider-config";
import { connectTwilio } from "../../providers/twilio/settings";
import { type CheckOutcome, type DoctorCheck, fail } from "./check-result";

/** A check that does not apply to this stack, saying why. */
function notApplicable(name: string, detail: string): DoctorCheck {
  return { name, run: async () => ({ status: "skip", detail }) };
}
import { closedPortsCheck } from "./closed-ports";
import { dnsRecordCheck, dnsResolver, loadBalancerTarget } from "./dns-record";
import { type DoctorInputs, type InputName, inputSources, severalNodeIps } from "./doctor-inputs";
import { inboundCallChecks } from "./inbound-call";
import { type LiveKitAccess, livekitApiCheck } from "./livekit-api";
import { outboundTrunkCheck } from "./outbound-trunk";
import { sipOptionsCheck } from "./sip-options";
import { loadBalancerTlsRole, sipTlsRole, tlsCertificateCheck } from "./tls-certificate";
import { sipHostName } from "../../components/runtime-config/sip-tls";
import { sharedTrunkDirectory, type TrunkDirectory, twilioOriginationCheck, twilioTrunkDirectory } from "./twilio-origination";

/** Every check's name, in report order; `--skip` takes these. */
export const checkNames = [
  "dns",
  "tls",
  "sip-tls",
  "livekit-api",
  "sip-options",
  "outbound-trunk",
  "inbound-trunk",
  "inbound-dispatch",
  "inbound-worker",
  "twilio-origination",
  "closed-ports",
] as const;

/** A check that cannot run because inputs are missing: it fails naming them and where they come from. */
function missingInputs(name: string, missing: InputName[]): DoctorCheck {
  return {
    name,
    async run(): Promise<CheckOutcome> {
      return fail(
        `cannot run: no ${missing.map((m) => inputSources[m].label).join(", no ")}`,
        `Use --stack <name> (reads them from the stack), or give ${missing.map((m) => inputSources[m].source).join(" and ")}; or --skip ${name}.`,
      );
    },
  };
}

/**
 * Returns the check `make` builds from the named inputs, or one that fails listing those missing.
 * `needs` maps each input's name to its value.
 */
function withInputs<T extends Partial<Record<InputName, string | undefined>>>(
  name: string,
  needs: T,
  make: (values: { [K in keyof T]-?: string }) => DoctorCheck,
): DoctorCheck {
  const missing = (Object.keys(needs) as (keyof T & InputName)[]).filter((key) => needs[key] === undefined);
  return missing.length > 0 ? missingInputs(name, missing) : make(needs as unknown as { [K in keyof T]-?: string });
}

/** A Twilio trunk directory connected on first use, so a credential problem fails the check that needs it. */
function lazyTrunkDirectory(twilio: Record<string, string>): TrunkDirectory {
  let directory: TrunkDirectory | undefined;
  const namespaced = Object.fromEntries(Object.entries(twilio).map(([key, value]) => [`${projectNamespace}:${key}`, value]));
  const connect = () => (directory ??= twilioTrunkDirectory(connectTwilio(staticProviderConfig(namespaced, projectNamespace)).client));
  return { trunkSid: (domain) => connect().trunkSid(domain), originationUrls: (sid) => connect().originationUrls(sid) };
}

/** The inbound-call lines for the stack's first number: one shared look at LiveKit, each line failing alike when inputs are missing. */
function inboundChecks(
  inputs: DoctorInputs,
  livekit: { livekitUrl?: string; apiKey?: string; apiSecret?: string },
  access: (v: { livekitUrl: string; apiKey: string; apiSecret: string }) => LiveKitAccess,
): DoctorCheck[] {
  const needs = { ...livekit, inboundNumber: inputs.inboundNumber };
  let checks: DoctorCheck[] | undefined;
  return (["inbound-trunk", "inbound-dispatch", "inbound-worker"] as const).map((name, i) =>
    withInputs(name, needs, (v) => (checks ??= inboundCallChecks(access(v), v.inboundNumber, inputs.carrierCidrs))[i]),
  );
}

/**
 * One host the per-host checks probe: the single host (no node), or each node of several. Each
 * address is undefined when no input gives it (the check then fails naming the input).
 */
interface ProbedHost {
  node?: number;
  /** Where SIP OPTIONS goes, or the SIP/TLS handshake under secure trunking. */
  sip?: string;
  /** The SIP host name the certificate and the origination URL carry under secure trunking. */
  sipName?: string;
  /** The address the origination URL must reach over clear SIP. */
  originationIp?: string;
  /** Where the internal ports must be closed. */
  closedPorts?: string;
}

/** The hosts the per-host checks probe: each node with several nodes (at its own IP), else the one host with the flags' overrides. */
function probedHosts(inputs: DoctorInputs): ProbedHost[] {
  const sipName = (node: number) => (inputs.domain ? sipHostName(inputs.domain, node) : undefined);
  const nodeIps = severalNodeIps(inputs);
  if (nodeIps) return nodeIps.map((ip, node) => ({ node, sip: ip, sipName: sipName(node), originationIp: ip, closedPorts: ip }));
  return [{ sip: inputs.sipHost ?? inputs.staticIp, sipName: sipName(0), originationIp: inputs.staticIp, closedPorts: inputs.closedPortsHost ?? inputs.staticIp }];
}

/** `make`'s check for each host, each tagged with its node. */
function perHost(hosts: readonly ProbedHost[], make: (host: ProbedHost) => DoctorCheck): DoctorCheck[] {
  return hosts.map((host) => (host.node === undefined ? make(host) : { ...make(host), node: host.node }));
}

/**
 * The doctor's checks over `inputs`, in {@link checkNames} order. With several nodes the per-host
 * checks (sip-tls, sip-options, twilio-origination, closed-ports) run once per node, and the
 * domain's checks (dns, tls) look at the load balancer; the API, trunk and inbound checks run once.
 */
export function doctorChecks(inputs: DoctorInputs): DoctorCheck[] {
  const twilio = inputs.twilio;
  const twilioSecret = twilio.twilioAuthToken ?? (twilio.twilioApiKeySid ? twilio.twilioApiKeySecret : undefined);
  const livekit = {
    livekitUrl: inputs.livekitUrl ?? (inputs.domain ? `https://${inputs.domain}` : undefined),
    apiKey: inputs.apiKey,
    apiSecret: inputs.apiSecret,
  };
  const access = (v: { livekitUrl: string; apiKey: string; apiSecret: string }) => ({ url: v.livekitUrl, apiKey: v.apiKey, apiSecret: v.apiSecret });
  const hosts = probedHosts(inputs);
  const multiNode = severalNodeIps(inputs) !== undefined;
  const trunks = sharedTrunkDirectory(lazyTrunkDirectory(twilio));
  return [
    multiNode
      ? withInputs("dns", { domain: inputs.domain, loadBalancerIp: inputs.loadBalancerIp }, (v) =>
          dnsRecordCheck(v.domain, v.loadBalancerIp, dnsResolver(inputs.dnsServers), loadBalancerTarget),
        )
      : withInputs("dns", { domain: inputs.domain, staticIp: inputs.staticIp }, (v) => dnsRecordCheck(v.domain, v.staticIp, dnsResolver(inputs.dnsServers))),
    multiNode
      ? withInputs("tls", { domain: inputs.domain, loadBalancerIp: inputs.tlsHost ?? inputs.loadBalancerIp }, (v) =>
          tlsCertificateCheck({ host: v.loadBalancerIp, port: inputs.tlsPort, servername: v.domain, caFile: inputs.tlsCaFile }, undefined, undefined, loadBalancerTlsRole),
        )
      : withInputs("tls", { domain: inputs.domain, staticIp: inputs.tlsHost ?? inputs.staticIp }, (v) =>
          tlsCertificateCheck({ host: v.staticIp, port: inputs.tlsPort, servername: v.domain, caFile: inputs.tlsCaFile }),
        ),
    ...perHost(hosts, (host) =>
      inputs.secureTrunking
        ? withInputs("sip-tls", { domain: host.sipName, staticIp: host.sip }, (v) =>
            tlsCertificateCheck({ host: v.staticIp, port: inputs.sipTlsPort, servername: v.domain, caFile: inputs.tlsCaFile }, undefined, undefined, sipTlsRole),
          )
        : notApplicable("sip-tls", "secure trunking is off: the carrier reaches livekit-sip over clear SIP"),
    ),
    withInputs("livekit-api", livekit, (v) => livekitApiCheck(access(v))),
    ...perHost(hosts, (host) =>
      inputs.secureTrunking
        ? notApplicable("sip-options", `secure trunking: clear SIP (${inputs.sipPort}) is closed to the carrier; sip-tls checks livekit-sip's TLS listener`)
        : withInputs("sip-options", { staticIp: host.sip }, (v) => sipOptionsCheck(v.staticIp, inputs.sipPort)),
    ),
    withInputs("outbound-trunk", { ...livekit, trunkDomain: inputs.trunkDomain }, (v) => outboundTrunkCheck(access(v), v.trunkDomain)),
    ...inboundChecks(inputs, livekit, access),
    ...perHost(hosts, (host) =>
      withInputs(
        "twilio-origination",
        {
          trunkDomain: inputs.trunkDomain,
          // Under secure trunking Twilio calls the SIP host name over TLS, the name in the certificate.
          staticIp: inputs.secureTrunking ? host.sipName : host.originationIp,
          twilioAccountSid: twilio.twilioAccountSid,
          twilioSecret,
        },
        (v) => twilioOriginationCheck(trunks, v.trunkDomain, v.staticIp, inputs.secureTrunking, host.node),
      ),
    ),
    ...perHost(hosts, (host) =>
      withInputs("closed-ports", { staticIp: host.closedPorts }, (v) =>
        closedPortsCheck(
          v.staticIp,
          inputs.secureTrunking ? [...inputs.closedPorts, { port: inputs.sipPort, what: "clear SIP over TCP (secure trunking closes it)" }] : inputs.closedPorts,
        ),
      ),
    ),
  ];
}
