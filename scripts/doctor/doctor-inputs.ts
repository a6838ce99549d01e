import type { ClosedPort } from "./closed-ports";

/** Everything the doctor's checks read; a check whose inputs are missing fails saying which. */
export interface DoctorInputs {
  /** The stack's domain (`agent-studio-voice:domain`). */
  domain?: string;
  /** The static external IP (`staticIp` output): node 0's with several nodes. */
  staticIp?: string;
  /**
   * With several nodes, each node's static external IP, node 0 first (`nodeStaticIps` output):
   * the per-host checks run once per node. Defaults to the static IP alone (one node).
   */
  nodeIps?: string[];
  /** With several nodes, the load balancer's IP (`loadBalancerIp` output): the domain resolves to it and TLS is checked there. */
  loadBalancerIp?: string;
  /** DNS servers to ask (`ip` or `ip:port`). Defaults to the system's. */
  dnsServers: string[];
  /** Where the TLS check connects. Defaults to the static IP. */
  tlsHost?: string;
  /** TLS port. Defaults to 443. */
  tlsPort: number;
  /** PEM file of extra trusted CAs. Defaults to none (system roots only). */
  tlsCaFile?: string;
  /** LiveKit API URL (`livekitApiUrl` output). Defaults to `https://<domain>`. */
  livekitUrl?: string;
  /** LiveKit API key (`agent-studio-voice:livekitApiKey`). */
  apiKey?: string;
  /** LiveKit API secret (`agent-studio-voice:livekitApiSecret`). */
  apiSecret?: string;
  /** Where SIP OPTIONS goes. Defaults to the static IP. */
  sipHost?: string;
  /** SIP signaling port (`agent-studio-voice:sipPort`). Defaults to 5060. */
  sipPort: number;
  /**
   * Secure trunking (`agent-studio-voice:secureTrunking`, on unless false): SIP over TLS on
   * `sipTlsPort` for `sip.<domain>`, clear SIP closed. Defaults to true.
   */
  secureTrunking: boolean;
  /** SIP over TLS port. Defaults to 5061. */
  sipTlsPort: number;
  /** The number the inbound checks call: the first of `agent-studio-voice:phoneNumbers`, in E.164 form. */
  inboundNumber?: string;
  /** The carrier's signaling ranges the inbound trunk must admit (`agent-studio-voice:carrierSignalingCidrs`). Defaults to Twilio's. */
  carrierCidrs: string[];
  /** Twilio trunk termination domain (`agent-studio-voice:twilioTrunkDomain`), also the outbound trunk's address. */
  trunkDomain?: string;
  /** Twilio credentials, as the stack config keys name them (`twilioAccountSid`, `twilioAuthToken`, …). */
  twilio: Record<string, string>;
  /** Host whose internal ports must be closed. Defaults to the static IP. */
  closedPortsHost?: string;
  /** Ports that must be closed. */
  closedPorts: ClosedPort[];
}

/** What each input a check may lack is, and where it comes from when neither the stack nor a flag gave it. */
export const inputSources = {
  domain: { label: "domain", source: "--domain" },
  staticIp: { label: "static IP", source: "--ip" },
  loadBalancerIp: { label: "load balancer IP", source: "--load-balancer-ip" },
  livekitUrl: { label: "LiveKit API URL", source: "--livekit-url (or --domain)" },
  apiKey: { label: "LiveKit API key", source: "--api-key" },
  apiSecret: { label: "LiveKit API secret", source: "LIVEKIT_API_SECRET in the environment" },
  trunkDomain: { label: "Twilio trunk domain", source: "--trunk-domain" },
  inboundNumber: { label: "E.164 number to check inbound calls to", source: "--number (needed when the stack lists its first number by SID)" },
  twilioAccountSid: { label: "Twilio account SID", source: "--twilio-account-sid" },
  twilioSecret: { label: "Twilio credentials", source: "TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET) in the environment" },
} as const;

/** The name of an input a check may need. */
export type InputName = keyof typeof inputSources;

/** Each node's IP when the stack has several nodes, else undefined (one host: the report stays as it was). */
export function severalNodeIps(inputs: DoctorInputs): string[] | undefined {
  return inputs.nodeIps !== undefined && inputs.nodeIps.length >= 2 ? inputs.nodeIps : undefined;
}

/** Inputs set field by field, later sources winning; undefined never overrides. */
export function mergeInputs(base: DoctorInputs, ...overrides: Partial<DoctorInputs>[]): DoctorInputs {
  const merged: DoctorInputs = { ...base, twilio: { ...base.twilio } };
  for (const override of overrides) {
    for (const [key, value] of Object.entries(override) as [keyof DoctorInputs, unknown][]) {
      if (value === undefined) continue;
      if (key === "twilio") Object.assign(merged.twilio, value);
      else (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return merged;
}
