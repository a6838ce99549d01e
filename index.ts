import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, nodeZones } from "./components/config";
import { StackDeployment, WorkerDeployment } from "./components/deployment";
import { Dns } from "./components/dns";
import { LiveKitHost } from "./components/host";
import { LiveKitSipTrunks } from "./components/livekit-sip-trunks";
import { SignalingLoadBalancer } from "./components/load-balancer";
import { Observability } from "./components/observability";
import { firewallInputFrom, Network, nodeResourceName } from "./components/network";
import { RollingDeployGate, rollsOneNodeAtATime } from "./components/rolling-deploy";
import { redisData, renderStartupScript, RuntimeConfig } from "./components/runtime-config";
import { sipHostName, sipTlsPort } from "./components/runtime-config/sip-tls";
import { gracefulShutdownSeconds, maxCallDurationSeconds, stopGraceSeconds } from "./components/call-limits";
import { SharedRedis } from "./components/shared-redis";
import { TwilioSipTrunk } from "./components/twilio-sip-trunk";
import { WorkerImage } from "./components/worker-image";

const config = loadStackConfig();
// With 2 or more nodes: Memorystore Redis shared by all, one load balancer for the signaling URL.
// Node 0 keeps the single host's resource names, so neither going from 1 node to more nor adding
// a node replaces what exists.
const multiNode = config.nodes >= 2;
const zones = nodeZones(config);
// Secure trunking: the carrier reaches each node's livekit-sip over TLS at its own name, which its Caddy holds a certificate for.
const sipHosts = zones.map((_, node) => (config.secureTrunking ? sipHostName(config.domain, node) : undefined));
const sipHost = sipHosts[0];
const dnsNames = sipHost === undefined ? [config.domain] : [config.domain, sipHost];

const workerImage = new WorkerImage("voice-worker-image", {
  project: config.gcp.project,
  region: config.gcp.region,
  stack: config.stack,
});

const network = new Network("voice-net", {
  region: config.gcp.region,
  firewall: firewallInputFrom(config),
  nodes: config.nodes,
});

const redis = multiNode
  ? new SharedRedis("voice-redis", { project: config.gcp.project, region: config.gcp.region, network: network.networkId, zones: [zones[0], zones[1]] })
  : undefined;

// With several nodes a node's VM waits for the previous node's rolling-deploy turn (below) to end,
// so a change to the VMs themselves (machine type, disk, image, zone) takes one node out at a time.
const previousTurnDone: ((done: pulumi.Resource) => void)[] = [];
const afterPreviousTurn = (node: number): Promise<pulumi.Resource>[] =>
  node === 0 || !rollsOneNodeAtATime(config.nodes) ? [] : [new Promise((resolve) => (previousTurnDone[node - 1] = resolve))];

const hosts = zones.map(
  (zone, node) =>
    new LiveKitHost(nodeResourceName("voice-host", node), {
      project: config.gcp.project,
      zone,
      stack: config.stack,
      node,
      machineType: config.machineType,
      diskSizeGb: config.diskSizeGb,
      staticIp: network.addresses[node],
      subnetwork: network.subnetworkSelfLink,
      networkTag: network.hostTag,
      startupScript: renderStartupScript(workerImage.registryHost),
      gracefulShutdownSeconds: gracefulShutdownSeconds(config.maxCallMinutes),
      after: afterPreviousTurn(node),
    }),
);
const host = hosts[0];

const runtimes = hosts.map(
  (_, node) =>
    new RuntimeConfig(nodeResourceName("voice-runtime", node), {
      config,
      staticIp: network.addresses[node],
      workerImage: workerImage.imageRef,
      ...(redis !== undefined && { node: { index: node, redis: { host: redis.host, port: redis.port, password: redis.authString } } }),
    }),
);
const runtime = runtimes[0];

const loadBalancer = multiNode
  ? new SignalingLoadBalancer("voice-lb", {
      project: config.gcp.project,
      domain: config.domain,
      backends: hosts.map((h, node) => ({ instance: h.instance.selfLink, zone: zones[node] })),
      // GCE's limit; a longer call keeps its WebSocket anyway while its node stays a backend.
      connectionDrainingSeconds: Math.min(3600, stopGraceSeconds(config.maxCallMinutes)),
    })
  : undefined;

// Each node's SIP host name resolves to its own IP; with several nodes the domain resolves to the load balancer.
const sipRoles = Object.fromEntries(sipHosts.flatMap((name, node) => (name === undefined ? [] : [[nodeResourceName("sip", node), name]])));
const dns = config.dnsManagedZone
  ? new Dns("voice-dns", {
      project: config.gcp.project,
      managedZone: config.dnsManagedZone,
      names: { signaling: config.domain, ...sipRoles },
      address: network.address,
      ...(loadBalancer !== undefined && {
        addresses: { signaling: loadBalancer.address, ...Object.fromEntries(Object.keys(sipRoles).map((role, node) => [role, network.addresses[node]])) },
      }),
    })
  : undefined;

const twilio = new TwilioSipTrunk("voice-twilio", {
  trunkDomain: config.twilio.trunkDomain,
  originationHost: sipHost ?? network.address,
  ...(multiNode && {
    additionalOriginationHosts: zones.slice(1).map((_, i) => sipHosts[i + 1] ?? network.addresses[i + 1]),
    enabledSetByRollingDeploy: true,
  }),
  originationPort: sipHost === undefined ? config.ports.sip : sipTlsPort,
  secure: config.secureTrunking,
  sipUsername: config.sip.username,
  sipPassword: config.sip.password,
  phoneNumbers: config.twilio.phoneNumbers,
  friendlyName: `agent-studio-${config.stack}`,
});

/** Node `node`'s deploy steps (files, services, TLS wait), after `after` when given. */
function deployNode(node: number, after: pulumi.Resource[] = []): StackDeployment {
  return new StackDeployment(nodeResourceName("voice-deploy", node), {
    connection: hosts[node].connection,
    instanceId: hosts[node].instance.instanceId,
    files: runtimes[node].files,
    hashes: runtimes[node].hashes,
    // Behind the load balancer a node's own names are its SIP host's only.
    dnsNames: multiNode ? sipHosts.slice(node, node + 1).filter((name): name is string => name !== undefined) : dnsNames,
    address: network.addresses[node],
    ...(loadBalancer && { loadBalanced: { domain: config.domain, loadBalancer } }),
    dependsOn: [...(dns ? [dns] : []), ...after],
  });
}

// With several nodes a change reaches them one at a time: each node's turn switches its origination
// URL off, drains its livekit-sip, runs its deploy steps, waits for health and switches the URL on
// before the next node's turn begins. A single host has no other node to take its calls: no gate.
const deployments: StackDeployment[] = [];
let previousRoll: RollingDeployGate | undefined;
for (const node of hosts.keys()) {
  if (!rollsOneNodeAtATime(config.nodes)) {
    deployments.push(deployNode(node));
    continue;
  }
  previousRoll = new RollingDeployGate(nodeResourceName("voice-roll", node), {
    nodeName: `node-${node}`,
    nodeCount: config.nodes,
    before: [hosts[node].instance, ...(previousRoll ? [previousRoll.done] : [])],
    trunkSid: twilio.trunkSid,
    originationUrlSid: twilio.originationUrlSids[node],
    connection: hosts[node].connection,
    // What restarts livekit-sip or livekit-server on this node (a new machine type restarts the VM).
    triggers: [
      hosts[node].instance.instanceId,
      hosts[node].instance.machineType,
      ...(["compose", "livekit", "sip", "livekitKeys"] as const).flatMap((id) => runtimes[node].hashes[id] ?? []),
    ],
    maxCallMinutes: config.maxCallMinutes,
    // The node's turn ends once its services are up; the load balancer's wait is outside it, as
    // the load balancer waits for every node's VM.
    update: (drained) => {
      const deployed = deployNode(node, [drained]);
      deployments.push(deployed);
      return [deployed.stackUp];
    },
  });
  previousTurnDone[node]?.(previousRoll.done);
}
const deployment = deployments[0];


// Created through the domain's TLS endpoint (the host's Caddy, or the load balancer) once it serves a valid certificate.
const sipTrunks = new LiveKitSipTrunks("voice-sip", {
  url: `https://${config.domain}`,
  outbound: {
    address: twilio.terminationUri,
    numbers: twilio.phoneNumbers,
    authUsername: twilio.sipUsername,
    authPassword: twilio.sipPassword,
    ...(config.secureTrunking && { transport: "tls" as const, mediaEncryption: "require" as const }),
  },
  inbound: {
    numbers: twilio.phoneNumbers,
    allowedAddresses: config.carrier.signalingCidrs,
    // Inbound calls end at the longest call, like outbound ones (the worker's MAX_CALL_SECONDS), within every stop grace.
    maxCallDurationSeconds: maxCallDurationSeconds(config.maxCallMinutes),
    ...(config.secureTrunking && { mediaEncryption: "require" as const }),
  },
  dispatch: { agentName: config.agentName, agentsByNumber: config.agentsByNumber },
  // Trunks and rules live in the host's Redis volume, or in Memorystore with several nodes: a new
  // VM, volume or instance starts empty, so it recreates them.
  storeId: redis === undefined ? pulumi.interpolate`${host.instance.instanceId}/${redisData.volume}` : pulumi.interpolate`memorystore/${redis.instance.id}`,
  dependsOn: [deployment.tlsReady],
});

// The worker's environment names the outbound trunk, so the worker starts once the trunks exist.
// Each node's worker registers with its own livekit-server on loopback: LiveKit hands it jobs of
// rooms on any node through Redis, and it drains and restarts with its node, whatever the load balancer does.
const workers = hosts.map(
  (h, node) =>
    new WorkerDeployment(nodeResourceName("voice-worker", node), {
      connection: h.connection,
      instanceId: h.instance.instanceId,
      env: {
        apiKey: config.livekit.apiKey,
        apiSecret: config.livekit.apiSecret,
        sipOutboundTrunkId: sipTrunks.outboundTrunkId,
        agentName: config.agentName,
        openaiApiKey: config.ai.openaiApiKey,
        deepgramApiKey: config.ai.deepgramApiKey,
        callsPerProcess: config.callsPerProcess,
        maxCallSeconds: maxCallDurationSeconds(config.maxCallMinutes),
      },
      serviceHash: runtimes[node].workerServiceHash,
      hashKey: runtimes[node].hashKey,
      registryHost: workerImage.registryHost,
      dependsOn: [sipTrunks, deployments[node].stackUp],
    }),
);
const worker = workers[0];

// Alerts, uptime check and dashboard; the Ops Agent config itself is a runtime file (RuntimeConfig).
// Each node's Ops Agent scrapes its own services; every node gets its own per-host alerts.
const observability = new Observability("voice-obs", {
  project: config.gcp.project,
  stack: config.stack,
  domain: config.domain,
  instanceName: host.instance.name,
  instanceId: host.instance.instanceId,
  channels: config.alerting.channels,
  runbookUrl: config.alerting.runbookUrl,
  otherNodes: hosts.slice(1).map((h) => ({ instanceName: h.instance.name, instanceId: h.instance.instanceId })),
});

/** SIP URI the carrier sends a node's inbound calls to. */
function sipUriOf(node: number): pulumi.Output<string> | string {
  const name = sipHosts[node];
  return name === undefined ? pulumi.interpolate`sip:${network.addresses[node]}:${config.ports.sip}` : `sip:${name}:${sipTlsPort};transport=tls`;
}

/** The DNS records of the stack's names, as `<name>. A <address>`. */
const dnsRecords: pulumi.Output<string[]> = multiNode
  ? pulumi
      .all([loadBalancer?.address ?? "", ...network.addresses])
      .apply(([lbAddress, ...nodeAddresses]) => [
        `${config.domain}. A ${lbAddress}`,
        ...sipHosts.flatMap((name, node) => (name === undefined ? [] : [`${name}. A ${nodeAddresses[node]}`])),
      ])
  : network.address.apply((address) => dnsNames.map((name) => `${name}. A ${address}`));

/** Static external IP of the voice host: SIP origination target and ICE address. */
export const staticIp = network.address;
/** Signaling URL for LiveKit clients (browser SDKs, the worker). */
export const wssUrl = `wss://${config.domain}`;
/** LiveKit server API URL (RoomService, SipClient, AgentDispatch). */
export const livekitApiUrl = `https://${config.domain}`;
/** SIP URI the carrier sends inbound calls to (over TLS to the SIP host name under secure trunking). */
export const sipUri = sipUriOf(0);
/** The DNS records the domain (and the SIP host name under secure trunking) need; managed here when `dnsManagedZone` is set, else create them by hand. */
export const dnsRecord = dnsRecords.apply((records) => `${records.join(", ")} (${dns ? "managed by this stack" : "create by hand"})`);
/** SSH host key the deploys pinned. */
export const sshHostKey = host.hostKey;
/** Name of the VM. */
export const instanceName = host.instance.name;
/** Twilio Elastic SIP trunk SID. */
export const twilioTrunkSid = twilio.trunkSid;
/** Termination domain LiveKit's outbound trunk dials. */
export const twilioTerminationUri = twilio.terminationUri;
/** Twilio origination URLs (where Twilio sends inbound calls). */
export const twilioOriginationUrls = twilio.originationUrls;
/** LiveKit outbound trunk ID: the worker's SIP_OUTBOUND_TRUNK_ID. */
export const outboundTrunkId = sipTrunks.outboundTrunkId;
/** LiveKit inbound trunk ID. */
export const inboundTrunkId = sipTrunks.inboundTrunkId;
/** LiveKit dispatch rule ID for inbound calls. */
export const dispatchRuleId = sipTrunks.dispatchRuleId;
/** Hash of each deployed runtime file: SHA-256, keyed HMAC for the secret one (a changed hash is a redeploy of that file's services). */
export const runtimeFileHashes = runtime.hashes;
/** The agent worker image the host runs, pinned by digest (`npm run plan` shows its content tag). */
export const workerImageRef = workerImage.imageRef;
/** The `agent_name` the worker registers: dispatch calls to it (`npm run call`). */
export const agentName = config.agentName;
/** Keyed hash (HMAC) of the worker's env file (a changed hash restarted the worker). */
export const workerEnvHash = worker.envHash;
/** Notification channels every alert notifies. */
export const alertNotificationChannels = observability.notificationChannels;
/**
 * The voice nodes, node 0 first (`staticIp`, `sipUri` and `instanceName` are node 0's): how many,
 * each one's zone, static IP and SIP URI (its origination URL's target); with several nodes also
 * the load balancer's IP (the domain's A record) and Memorystore's private `host:port`. One output
 * that always exists: a top-level output left undefined on one node warns at every update.
 */
export const nodes = {
  count: config.nodes,
  zones,
  staticIps: pulumi.all(network.addresses),
  sipUris: pulumi.all(zones.map((_, node) => sipUriOf(node))),
  ...(loadBalancer !== undefined && { loadBalancerIp: loadBalancer.address }),
  ...(redis !== undefined && { sharedRedisAddress: pulumi.interpolate`${redis.host}:${redis.port}` }),
};
