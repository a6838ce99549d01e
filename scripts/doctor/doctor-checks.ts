import { projectNamespace } from "../../components/config/fields";
import { staticProviderConfig } from "../../providers/base/provider-config";
import { connectTwilio } from "../../providers/twilio/settings";
import { type CheckOutcome, type DoctorCheck, fail } from "./check-result";

/** A check that does not apply to this stack, saying why. */
function notApplicable(name: string, detail: string): DoctorCheck {
  return { name, run: async () => ({ status: "skip", detail }) };
}
import { closedPortsCheck } from "./closed-ports";
import { dnsRecordCheck, dnsResolver } from "./dns-record";
import { type DoctorInputs, type InputName, inputSources } from "./doctor-inputs";
import { inboundCallChecks } from "./inbound-call";
import { type LiveKitAccess, livekitApiCheck } from "./livekit-api";
import { outboundTrunkCheck } from "./outbound-trunk";
import { sipOptionsCheck } from "./sip-options";
import { sipTlsRole, tlsCertificateCheck } from "./tls-certificate";
import { sipHostName } from "../../components/runtime-config/sip-tls";
import { type TrunkDirectory, twilioOriginationCheck, twilioTrunkDirectory } from "./twilio-origination";

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

/** The doctor's checks over `inputs`, in {@link checkNames} order. */
export function doctorChecks(inputs: DoctorInputs): DoctorCheck[] {
  const twilio = inputs.twilio;
  const twilioSecret = twilio.twilioAuthToken ?? (twilio.twilioApiKeySid ? twilio.twilioApiKeySecret : undefined);
  const livekit = {
    livekitUrl: inputs.livekitUrl ?? (inputs.domain ? `https://${inputs.domain}` : undefined),
    apiKey: inputs.apiKey,
    apiSecret: inputs.apiSecret,
  };
  const access = (v: { livekitUrl: string; apiKey: string; apiSecret: string }) => ({ url: v.livekitUrl, apiKey: v.apiKey, apiSecret: v.apiSecret });
  return [
    withInputs("dns", { domain: inputs.domain, staticIp: inputs.staticIp }, (v) => dnsRecordCheck(v.domain, v.staticIp, dnsResolver(inputs.dnsServers))),
    withInputs("tls", { domain: inputs.domain, staticIp: inputs.tlsHost ?? inputs.staticIp }, (v) =>
      tlsCertificateCheck({ host: v.staticIp, port: inputs.tlsPort, servername: v.domain, caFile: inputs.tlsCaFile }),
    ),
    inputs.secureTrunking
      ? withInputs("sip-tls", { domain: inputs.domain, staticIp: inputs.sipHost ?? inputs.staticIp }, (v) =>
          tlsCertificateCheck({ host: v.staticIp, port: inputs.sipTlsPort, servername: sipHostName(v.domain), caFile: inputs.tlsCaFile }, undefined, undefined, sipTlsRole),
        )
      : notApplicable("sip-tls", "secure trunking is off: the carrier reaches livekit-sip over clear SIP"),
    withInputs("livekit-api", livekit, (v) => livekitApiCheck(access(v))),
    inputs.secureTrunking
      ? notApplicable("sip-options", `secure trunking: clear SIP (${inputs.sipPort}) is closed to the carrier; sip-tls checks livekit-sip's TLS listener`)
      : withInputs("sip-options", { staticIp: inputs.sipHost ?? inputs.staticIp }, (v) => sipOptionsCheck(v.staticIp, inputs.sipPort)),
    withInputs("outbound-trunk", { ...livekit, trunkDomain: inputs.trunkDomain }, (v) => outboundTrunkCheck(access(v), v.trunkDomain)),
    ...inboundChecks(inputs, livekit, access),
    withInputs(
      "twilio-origination",
      {
        trunkDomain: inputs.trunkDomain,
        // Under secure trunking Twilio calls the SIP host name over TLS, the name in the certificate.
        staticIp: inputs.secureTrunking ? inputs.domain && sipHostName(inputs.domain) : inputs.staticIp,
        twilioAccountSid: twilio.twilioAccountSid,
        twilioSecret,
      },
      (v) => twilioOriginationCheck(lazyTrunkDirectory(twilio), v.trunkDomain, v.staticIp, inputs.secureTrunking),
    ),
    withInputs("closed-ports", { staticIp: inputs.closedPortsHost ?? inputs.staticIp }, (v) =>
      closedPortsCheck(
        v.staticIp,
        inputs.secureTrunking ? [...inputs.closedPorts, { port: inputs.sipPort, what: "clear SIP over TCP (secure trunking closes it)" }] : inputs.closedPorts,
      ),
    ),
  ];
}
