import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./components/config";
import { StackDeployment, WorkerDeployment } from "./components/deployment";
import { Dns } from "./components/dns";
import { LiveKitHost } from "./components/host";
import { LiveKitSipTrunks } from "./components/livekit-sip-trunks";
import { Observability } from "./components/observability";
import { firewallInputFrom, Network } from "./components/network";
import { redisData, renderStartupScript, RuntimeConfig } from "./components/runtime-config";
import { sipHostName, sipTlsPort } from "./components/runtime-config/sip-tls";
import { gracefulShutdownSeconds, maxCallDurationSeconds } from "./components/call-limits";
import { TwilioSipTrunk } from "./components/twilio-sip-trunk";
import { WorkerImage } from "./components/worker-image";

const config = loadStackConfig();
// Secure trunking: the carrier reaches livekit-sip over TLS at this name, which Caddy holds a certificate for.
const sipHost = config.secureTrunking ? sipHostName(config.domain) : undefined;
const dnsNames = sipHost === undefined ? [config.domain] : [config.domain, sipHost];

const workerImage = new WorkerImage("voice-worker-image", {
  project: config.gcp.project,
  region: config.gcp.region,
  stack: config.stack,
});

const network = new Network("voice-net", {
  region: config.gcp.region,
  firewall: firewallInputFrom(config),
});

const host = new LiveKitHost("voice-host", {
  project: config.gcp.project,
  zone: config.gcp.zone,
  stack: config.stack,
  machineType: config.machineType,
  diskSizeGb: config.diskSizeGb,
  staticIp: network.address,
  subnetwork: network.subnetworkSelfLink,
  networkTag: network.hostTag,
  startupScript: renderStartupScript(workerImage.registryHost),
  gracefulShutdownSeconds: gracefulShutdownSeconds(config.maxCallMinutes),
});

const runtime = new RuntimeConfig("voice-runtime", { config, staticIp: network.address, workerImage: workerImage.imageRef });

const dns = config.dnsManagedZone
  ? new Dns("voice-dns", {
      project: config.gcp.project,
      managedZone: config.dnsManagedZone,
      names: { signaling: config.domain, ...(sipHost !== undefined && { sip: sipHost }) },
      address: network.address,
    })
  : undefined;

const deployment = new StackDeployment("voice-deploy", {
  connection: host.connection,
  instanceId: host.instance.instanceId,
  files: runtime.files,
  hashes: runtime.hashes,
  dnsNames,
  address: network.address,
  dependsOn: dns ? [dns] : [],
});

const twilio = new TwilioSipTrunk("voice-twilio", {
  trunkDomain: config.twilio.trunkDomain,
  originationHost: sipHost ?? network.address,
  originationPort: sipHost === undefined ? config.ports.sip : sipTlsPort,
  secure: config.secureTrunking,
  sipUsername: config.sip.username,
  sipPassword: config.sip.password,
  phoneNumbers: config.twilio.phoneNumbers,
  friendlyName: `agent-studio-${config.stack}`,
});

// Created through the host's TLS endpoint once Caddy serves it with a valid certificate.
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
  // Trunks and rules live in the host's Redis volume: a new VM or volume starts empty, so it recreates them.
  storeId: pulumi.interpolate`${host.instance.instanceId}/${redisData.volume}`,
  dependsOn: [deployment.tlsReady],
});

// The worker's environment names the outbound trunk, so the worker starts once the trunks exist.
const worker = new WorkerDeployment("voice-worker", {
  connection: host.connection,
  instanceId: host.instance.instanceId,
  env: {
    apiKey: config.livekit.apiKey,
    apiSecret: config.livekit.apiSecret,
    sipOutboundTrunkId: sipTrunks.outboundTrunkId,
    agentName: config.agentName,
    openaiApiKey: config.ai.openaiApiKey,
    deepgramApiKey: config.ai.deepgramApiKey,
    maxCallSeconds: maxCallDurationSeconds(config.maxCallMinutes),
  },
  serviceHash: runtime.workerServiceHash,
  hashKey: runtime.hashKey,
  registryHost: workerImage.registryHost,
  dependsOn: [sipTrunks, deployment.stackUp],
});

// Alerts, uptime check and dashboard; the Ops Agent config itself is a runtime file (RuntimeConfig).
const observability = new Observability("voice-obs", {
  project: config.gcp.project,
  stack: config.stack,
  domain: config.domain,
  instanceName: host.instance.name,
  instanceId: host.instance.instanceId,
  channels: config.alerting.channels,
  runbookUrl: config.alerting.runbookUrl,
});

/** Static external IP of the voice host: SIP origination target and ICE address. */
export const staticIp = network.address;
/** Signaling URL for LiveKit clients (browser SDKs, the worker). */
export const wssUrl = `wss://${config.domain}`;
/** LiveKit server API URL (RoomService, SipClient, AgentDispatch). */
export const livekitApiUrl = `https://${config.domain}`;
/** SIP URI the carrier sends inbound calls to (over TLS to the SIP host name under secure trunking). */
export const sipUri = sipHost === undefined ? pulumi.interpolate`sip:${network.address}:${config.ports.sip}` : `sip:${sipHost}:${sipTlsPort};transport=tls`;
/** The DNS records the domain (and the SIP host name under secure trunking) need; managed here when `dnsManagedZone` is set, else create them by hand. */
export const dnsRecord = network.address.apply(
  (address) => `${dnsNames.map((name) => `${name}. A ${address}`).join(", ")} (${dns ? "managed by this stack" : "create by hand"})`,
);
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
