import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { internalPorts, loadBalancerHealthPath } from "../runtime-config/host-layout";
import { nodeResourceName } from "../network/network";

/** One node behind the load balancer. */
export interface LoadBalancerBackend {
  /** Self link of the node's VM. */
  instance: pulumi.Input<string>;
  /** Its zone (an unmanaged instance group is zonal). */
  zone: string;
}

/** Arguments of {@link SignalingLoadBalancer}. */
export interface SignalingLoadBalancerArgs {
  /** GCP project. Required. */
  project: string;
  /** The signaling domain: the Google-managed certificate's only name. Required. */
  domain: string;
  /** The nodes, node 0 first. Required. */
  backends: LoadBalancerBackend[];
  /**
   * How long a node taken out of the backends keeps its open WebSockets, in seconds (at most 3600):
   * the longest call. Required.
   */
  connectionDrainingSeconds: number;
  /** Port of Caddy's backend on each node. Defaults to `internalPorts.loadBalancerBackend` (7890). */
  backendPort?: number;
  /** Health check path, 503 while the node drains. Defaults to `loadBalancerHealthPath`. */
  healthPath?: string;
}

/** Named port of the instance groups that the backend service sends to. */
const portName = "livekit";

/**
 * One signaling URL for every node: a global external Application Load Balancer holding a
 * Google-managed certificate for the domain (no node holds it, so any node can go), sending
 * `wss://<domain>` and the LiveKit API to the nodes' Caddy backends over HTTP. The backend timeout
 * is a day, which for WebSockets is the longest a connection may stay open. The health check asks
 * each node's drain-aware endpoint, so a node that is down or draining gets no new connection;
 * livekit-server relays signaling that lands on a node other than the room's through Redis.
 */
export class SignalingLoadBalancer extends pulumi.ComponentResource {
  /** The load balancer's global IPv4 address: the domain's A record. */
  public readonly address: pulumi.Output<string>;
  /** The forwarding rule on :443 (deployments wait for it). */
  public readonly forwardingRule: gcp.compute.GlobalForwardingRule;

  constructor(name: string, args: SignalingLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:load-balancer:SignalingLoadBalancer", name, {}, opts);
    const backendPort = args.backendPort ?? internalPorts.loadBalancerBackend;
    const healthPath = args.healthPath ?? loadBalancerHealthPath;
    const parent = { parent: this };
    const project = args.project;

    const address = new gcp.compute.GlobalAddress(`${name}-ip`, { project, addressType: "EXTERNAL", ipVersion: "IPV4", description: "Voice signaling load balancer" }, parent);
    const certificate = new gcp.compute.ManagedSslCertificate(`${name}-cert`, { project, managed: { domains: [args.domain] } }, parent);
    const healthCheck = new gcp.compute.HealthCheck(
      `${name}-health`,
      {
        project,
        description: `Caddy's drain-aware ${healthPath} on each node: 503 while the node drains`,
        checkIntervalSec: 5,
        timeoutSec: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
        httpHealthCheck: { port: backendPort, requestPath: healthPath },
      },
      parent,
    );
    const groups = args.backends.map(
      (backend, node) =>
        new gcp.compute.InstanceGroup(
          nodeResourceName(`${name}-group`, node),
          { project, zone: backend.zone, description: `Voice node ${node}`, instances: [backend.instance], namedPorts: [{ name: portName, port: backendPort }] },
          parent,
        ),
    );
    const backendService = new gcp.compute.BackendService(
      `${name}-backend`,
      {
        project,
        protocol: "HTTP",
        portName,
        loadBalancingScheme: "EXTERNAL_MANAGED",
        // WebSockets stay open for up to this long; signaling reconnects after it.
        timeoutSec: 86400,
        connectionDrainingTimeoutSec: args.connectionDrainingSeconds,
        healthChecks: healthCheck.id,
        backends: groups.map((group) => ({ group: group.selfLink, balancingMode: "UTILIZATION", capacityScaler: 1 })),
      },
      parent,
    );
    const urlMap = new gcp.compute.URLMap(`${name}-urls`, { project, defaultService: backendService.id }, parent);
    const proxy = new gcp.compute.TargetHttpsProxy(`${name}-proxy`, { project, urlMap: urlMap.id, sslCertificates: [certificate.id] }, parent);
    this.forwardingRule = new gcp.compute.GlobalForwardingRule(
      `${name}-https`,
      { project, target: proxy.id, ipAddress: address.address, ipProtocol: "TCP", portRange: "443", loadBalancingScheme: "EXTERNAL_MANAGED" },
      parent,
    );
    this.address = address.address;
    this.registerOutputs({ address: this.address });
  }
}
