import type { StackConfigOf } from "../config/stack-config";
import { fixedPublicPorts, internalPorts } from "../runtime-config/host-layout";
import { sipTlsPort } from "../runtime-config/sip-tls";

/** One protocol and its ports in a firewall rule. */
export interface FirewallAllow {
  /** `tcp` or `udp`. */
  protocol: "tcp" | "udp";
  /** Ports or `start-end` ranges. */
  ports: string[];
}

/** A firewall rule before it becomes a GCE resource. */
export interface FirewallRuleSpec {
  /** Short role; the resource is named `<component>-<role>`. */
  role: string;
  /** Why the rule exists, shown in the GCP console. */
  description: string;
  /** What it lets in. */
  allows: FirewallAllow[];
  /** Source CIDRs. */
  sourceRanges: string[];
}

/** The values the firewall depends on. */
export interface FirewallInput {
  /** WebRTC ICE/TCP port. */
  rtcTcpPort: number;
  /** WebRTC ICE/UDP port (single muxed port). */
  rtcUdpPort: number;
  /** Embedded TURN/UDP port, opened only when TURN is enabled. */
  turnUdpPort: number;
  /** Whether embedded TURN is enabled. */
  turnEnabled: boolean;
  /** Clear SIP signaling port (UDP and TCP), open only without secure trunking. */
  sipPort: number;
  /** Secure trunking: SIP over TLS on 5061/tcp is open to the carrier instead of clear SIP. */
  secureTrunking: boolean;
  /** First RTP port. */
  rtpPortStart: number;
  /** Last RTP port. */
  rtpPortEnd: number;
  /** Carrier signaling source ranges. */
  carrierSignalingCidrs: string[];
  /** Carrier media source ranges. */
  carrierMediaCidrs: string[];
  /** SSH source ranges. */
  adminCidrs: string[];
  /**
   * Several nodes behind the load balancer: Caddy's backend port opens to the load balancer's
   * proxies and health checkers ({@link googleLoadBalancerRanges}), and only to them. Defaults to false.
   */
  loadBalanced?: boolean;
}

/**
 * The source ranges of Google's external Application Load Balancer proxies and health checks
 * (https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges): the only sources
 * a backend behind it must admit.
 */
export const googleLoadBalancerRanges: readonly string[] = ["35.191.0.0/16", "130.211.0.0/22"];

/** The firewall's values from validated stack config (secrets held either way). */
export function firewallInputFrom(config: Pick<StackConfigOf<unknown>, "ports" | "turn" | "carrier" | "adminCidrs" | "secureTrunking" | "nodes">): FirewallInput {
  return {
    ...(config.nodes >= 2 && { loadBalanced: true }),
    rtcTcpPort: config.ports.rtcTcp,
    rtcUdpPort: config.ports.rtcUdp,
    turnUdpPort: config.ports.turnUdp,
    turnEnabled: config.turn.enabled,
    sipPort: config.ports.sip,
    secureTrunking: config.secureTrunking,
    rtpPortStart: config.ports.rtpStart,
    rtpPortEnd: config.ports.rtpEnd,
    carrierSignalingCidrs: config.carrier.signalingCidrs,
    carrierMediaCidrs: config.carrier.mediaCidrs,
    adminCidrs: config.adminCidrs,
  };
}

const internet = ["0.0.0.0/0"];

/**
 * The host's ingress rules, exactly DESIGN.md's exposure table: web and WebRTC ports to the
 * internet, SIP (clear on 5060, or TLS on 5061 under secure trunking) and RTP only to the carrier,
 * SSH only to admins. The LiveKit API (7880), Redis
 * (6379) and metrics ports have no rule, so GCE's implied deny-ingress keeps them closed.
 */
export function firewallRules(input: FirewallInput): FirewallRuleSpec[] {
  const rules: FirewallRuleSpec[] = [
    {
      role: "https",
      description: `Caddy: TLS for LiveKit signaling (wss) on ${fixedPublicPorts.caddyTls}, ACME HTTP-01 on ${fixedPublicPorts.acmeHttp}`,
      allows: [{ protocol: "tcp", ports: [String(fixedPublicPorts.caddyTls), String(fixedPublicPorts.acmeHttp)] }],
      sourceRanges: internet,
    },
    {
      role: "webrtc-tcp",
      description: "LiveKit WebRTC ICE over TCP",
      allows: [{ protocol: "tcp", ports: [String(input.rtcTcpPort)] }],
      sourceRanges: internet,
    },
    {
      role: "webrtc-udp",
      description: "LiveKit WebRTC ICE over UDP (single muxed port)",
      allows: [{ protocol: "udp", ports: [String(input.rtcUdpPort)] }],
      sourceRanges: internet,
    },
  ];
  if (input.turnEnabled) {
    rules.push({
      role: "turn-udp",
      description: "LiveKit embedded TURN over UDP",
      allows: [{ protocol: "udp", ports: [String(input.turnUdpPort)] }],
      sourceRanges: internet,
    });
  }
  // A rule of its own per mode: switching modes deletes the old rule, which Pulumi does last in an
  // update, after the deployment has drained livekit-sip of the calls signaled through it.
  rules.push(
    input.secureTrunking
      ? {
          role: "sip-tls",
          description: "SIP over TLS (secure trunking) from the carrier only",
          allows: [{ protocol: "tcp", ports: [String(sipTlsPort)] }],
          sourceRanges: [...input.carrierSignalingCidrs],
        }
      : {
          role: "sip-signaling",
          description: "SIP signaling from the carrier only",
          allows: [
            { protocol: "udp", ports: [String(input.sipPort)] },
            { protocol: "tcp", ports: [String(input.sipPort)] },
          ],
          sourceRanges: [...input.carrierSignalingCidrs],
        },
    {
      role: "rtp-media",
      description: "RTP media from the carrier only",
      allows: [{ protocol: "udp", ports: [`${input.rtpPortStart}-${input.rtpPortEnd}`] }],
      sourceRanges: [...input.carrierMediaCidrs],
    },
    {
      role: "ssh-admin",
      description: "SSH for deploys, from admin CIDRs only",
      allows: [{ protocol: "tcp", ports: [String(fixedPublicPorts.ssh)] }],
      sourceRanges: [...input.adminCidrs],
    },
  );
  if (input.loadBalanced) {
    rules.push({
      role: "lb-backend",
      description: "Caddy's load balancer backend (signaling, API, drain-aware health check), from Google's load balancer ranges only",
      allows: [{ protocol: "tcp", ports: [String(internalPorts.loadBalancerBackend)] }],
      sourceRanges: [...googleLoadBalancerRanges],
    });
  }
  return rules;
}
