import type { PolicyConfigSchema } from "@pulumi/policy";
import { configFields, twilioMediaCidrs, twilioSignalingCidrs } from "../components/config/fields";
import { sipTlsPort } from "../components/runtime-config/sip-tls";
import { type AddressBlock, parseAddressBlock } from "./address-block";
import type { PortRange } from "./firewall-rule";

/**
 * Extra source ranges allowed for SIP or RTP, each under a name and a reason so every exception
 * to the carrier's ranges is explicit and reviewable (e.g. a second carrier during a migration).
 */
export interface CarrierOverride {
  /** Short name of the exception, shown in violations and reviews. */
  name: string;
  /** Why the exception exists. */
  reason: string;
  /** Additional SIP signaling source CIDRs. */
  signalingCidrs?: string[];
  /** Additional RTP media source CIDRs. */
  mediaCidrs?: string[];
}

/** The `carrier-only-sip-rtp` policy's configuration (policy pack config, `--policy-pack-config`). */
export interface CarrierPolicyConfig {
  /** Name of the carrier whose ranges follow. */
  carrierName: string;
  /** CIDRs the carrier sends SIP signaling from. */
  signalingCidrs: string[];
  /** CIDRs the carrier sends RTP media from. */
  mediaCidrs: string[];
  /** SIP signaling ports (the stack's `sipPort`, and 5061 for SIP over TLS). */
  sipPorts: number[];
  /** RTP port range `start-end` (the stack's `rtpPortStart`-`rtpPortEnd`). */
  rtpPortRange: string;
  /** Named exceptions. */
  overrides: CarrierOverride[];
}

/** Defaults: Twilio's published ranges and the stack's default SIP port and RTP range. */
export const carrierPolicyDefaults: CarrierPolicyConfig = {
  carrierName: "twilio",
  signalingCidrs: [...twilioSignalingCidrs],
  mediaCidrs: [...twilioMediaCidrs],
  sipPorts: [configFields.sipPort.default, sipTlsPort],
  rtpPortRange: `${configFields.rtpPortStart.default}-${configFields.rtpPortEnd.default}`,
  overrides: [],
};

const cidrList = (description: string, fallback: string[]) => ({
  type: "array" as const,
  items: { type: "string" as const },
  description,
  default: fallback,
});

/** JSON schema of {@link CarrierPolicyConfig}; the engine validates pack config against it. */
export const carrierPolicyConfigSchema: PolicyConfigSchema = {
  properties: {
    carrierName: { type: "string", minLength: 1, description: "Name of the carrier whose ranges are configured.", default: carrierPolicyDefaults.carrierName },
    signalingCidrs: cidrList("CIDRs the carrier sends SIP signaling from.", carrierPolicyDefaults.signalingCidrs),
    mediaCidrs: cidrList("CIDRs the carrier sends RTP media from.", carrierPolicyDefaults.mediaCidrs),
    sipPorts: {
      type: "array",
      items: { type: "integer", minimum: 1, maximum: 65535 },
      description: "SIP signaling ports (the stack's sipPort, and 5061 for SIP over TLS).",
      default: carrierPolicyDefaults.sipPorts,
    },
    rtpPortRange: {
      type: "string",
      pattern: "^\\d{1,5}-\\d{1,5}$",
      description: "RTP port range start-end (the stack's rtpPortStart-rtpPortEnd).",
      default: carrierPolicyDefaults.rtpPortRange,
    },
    overrides: {
      type: "array",
      description: "Named exceptions: extra SIP/RTP source CIDRs, each with a name and a reason.",
      items: {
        type: "object",
        required: ["name", "reason"],
        additionalProperties: false,
        properties: {
          name: { type: "string", minLength: 1 },
          reason: { type: "string", minLength: 1 },
          signalingCidrs: { type: "array", items: { type: "string" } },
          mediaCidrs: { type: "array", items: { type: "string" } },
        },
      },
      default: [],
    },
  },
};

/** A source range the policy allows, with where it comes from (carrier or override name). */
export interface AllowedBlock {
  /** The CIDR as configured. */
  cidr: string;
  /** Parsed block. */
  block: AddressBlock;
  /** `carrier <name>` or `override <name>`. */
  origin: string;
}

/** {@link CarrierPolicyConfig} checked and parsed. */
export interface CarrierRules {
  /** Carrier name. */
  carrierName: string;
  /** Allowed SIP signaling sources (carrier and overrides). */
  signaling: AllowedBlock[];
  /** Allowed RTP media sources (carrier and overrides). */
  media: AllowedBlock[];
  /** SIP ports. */
  sipPorts: number[];
  /** RTP ports. */
  rtpPorts: PortRange;
}

/**
 * Merges the pack config over the defaults and parses it. Throws one error naming every bad key
 * (the engine shows it and stops), since a policy with an unreadable config must not pass anything.
 */
export function carrierRules(config: Partial<CarrierPolicyConfig>): CarrierRules {
  const d = carrierPolicyDefaults;
  const c: CarrierPolicyConfig = {
    carrierName: config.carrierName ?? d.carrierName,
    signalingCidrs: config.signalingCidrs ?? d.signalingCidrs,
    mediaCidrs: config.mediaCidrs ?? d.mediaCidrs,
    sipPorts: config.sipPorts ?? d.sipPorts,
    rtpPortRange: config.rtpPortRange ?? d.rtpPortRange,
    overrides: config.overrides ?? d.overrides,
  };
  const problems: string[] = [];
  const blocks = (key: string, cidrs: readonly string[] | undefined, origin: string): AllowedBlock[] =>
    (cidrs ?? []).flatMap((cidr, i) => {
      const block = parseAddressBlock(String(cidr));
      if (block === undefined) {
        problems.push(`${key}[${i}] = ${JSON.stringify(cidr)}: expected an IPv4 or IPv6 CIDR such as 54.172.60.0/30`);
        return [];
      }
      return [{ cidr: String(cidr), block, origin }];
    });
  const carrier = `carrier ${c.carrierName}`;
  const signaling = blocks("signalingCidrs", c.signalingCidrs, carrier);
  const media = blocks("mediaCidrs", c.mediaCidrs, carrier);
  const names = new Set<string>();
  c.overrides.forEach((o, i) => {
    if (!o.name?.trim() || !o.reason?.trim()) {
      problems.push(`overrides[${i}]: expected a non-empty name and reason, so the exception says who it is for and why`);
    } else if (names.has(o.name)) {
      problems.push(`overrides[${i}].name = ${JSON.stringify(o.name)}: expected a name no other override uses`);
    }
    names.add(o.name);
    signaling.push(...blocks(`overrides[${i}].signalingCidrs`, o.signalingCidrs, `override ${o.name}`));
    media.push(...blocks(`overrides[${i}].mediaCidrs`, o.mediaCidrs, `override ${o.name}`));
  });
  const sipPorts = c.sipPorts.filter((p, i) => {
    const ok = Number.isInteger(p) && p >= 1 && p <= 65535;
    if (!ok) problems.push(`sipPorts[${i}] = ${JSON.stringify(p)}: expected a port number 1-65535`);
    return ok;
  });
  const range = /^(\d{1,5})-(\d{1,5})$/.exec(c.rtpPortRange);
  const rtpPorts = range ? { start: Number(range[1]), end: Number(range[2]) } : undefined;
  if (rtpPorts === undefined || rtpPorts.start > rtpPorts.end || rtpPorts.end > 65535) {
    problems.push(`rtpPortRange = ${JSON.stringify(c.rtpPortRange)}: expected start-end such as ${carrierPolicyDefaults.rtpPortRange}`);
  }
  if (problems.length > 0 || rtpPorts === undefined) {
    throw new Error(`Policy pack config of carrier-only-sip-rtp is invalid:\n- ${problems.join("\n- ")}`);
  }
  return { carrierName: c.carrierName, signaling, media, sipPorts, rtpPorts };
}
