import { toGoYaml } from "./go-yaml";
import { type LivekitYamlInput, type LogLevel, type PublicAddress, RenderProblems } from "./livekit-yaml";

// Keys follow livekit-sip's config type (pkg/config/config.go at the pinned version). livekit-sip
// ignores unknown keys silently, so a misspelt key would fall back to a default without a word:
// the unit tests pin every key rendered here to that struct.

/** Everything the livekit-sip config is rendered from. */
export interface SipConfigInput {
  /** livekit-server signaling URL as the SIP service reaches it (production `ws://127.0.0.1:7880`). */
  wsUrl: string;
  /** Redis shared with livekit-server: how livekit-server hands calls to livekit-sip. */
  redis: LivekitYamlInput["redis"];
  /** SIP signaling port, UDP and TCP (production 5060). */
  sipPort: number;
  /** Address SIP signaling binds. Defaults to every interface. */
  listenIp?: string;
  /** RTP media port range, inclusive (production 10000-20000); RTP binds every interface. */
  rtpPorts: { start: number; end: number };
  /** How the public IP written into SIP headers and SDP is found. */
  publicAddress: PublicAddress;
  /** Health endpoint port (GET / answers 200 when ready); binds every interface. Defaults to none. */
  healthPort?: number;
  /** Prometheus metrics port; binds every interface. Defaults to none. */
  prometheusPort?: number;
  /**
   * Share of the machine's CPU (above 0, at most 1) beyond which livekit-sip refuses new calls with
   * "cpu exhausted" and reports itself under load. Defaults to unset: livekit-sip's own 0.9.
   */
  maxCpuUtilization?: number;
  /** Log level. */
  logLevel: LogLevel;
  /**
   * SIP over TLS (secure trunking). livekit-sip loads the certificate files once, when it starts:
   * a renewed certificate is served after its next start. Defaults to none (no TLS listener).
   */
  tls?: {
    /** TLS signaling port (5061). */
    port: number;
    /** Host name the certificate is for; livekit-sip puts it in the Contact of TLS calls. */
    hostname: string;
    /** PEM certificate chain, leaf first. */
    certFile: string;
    /** PEM private key. */
    keyFile: string;
  };
}

function validate(input: SipConfigInput): void {
  const problems = new RenderProblems("the SIP service config");
  problems.expect(/^wss?:\/\/[^\s/]+(\/\S*)?$/.test(input.wsUrl), `wsUrl is ${JSON.stringify(input.wsUrl)}; expected a ws:// or wss:// URL of livekit-server`);
  problems.expect(/^[^\s]+:\d+$/.test(input.redis.address), `redis.address is ${JSON.stringify(input.redis.address)}; expected host:port`);
  problems.port("sipPort", input.sipPort);
  if (input.listenIp !== undefined) {
    problems.ip("listenIp", input.listenIp);
  }
  problems.port("rtpPorts.start", input.rtpPorts.start);
  problems.port("rtpPorts.end", input.rtpPorts.end);
  problems.expect(
    input.rtpPorts.start < input.rtpPorts.end,
    `rtpPorts is ${input.rtpPorts.start}-${input.rtpPorts.end}; expected start below end (livekit-sip rejects other ranges)`,
  );
  if ("staticIp" in input.publicAddress) {
    problems.ip("publicAddress.staticIp", input.publicAddress.staticIp);
  }
  if (input.healthPort !== undefined) {
    problems.port("healthPort", input.healthPort);
  }
  if (input.prometheusPort !== undefined) {
    problems.port("prometheusPort", input.prometheusPort);
  }
  if (input.maxCpuUtilization !== undefined) {
    // livekit-sip silently replaces a value outside (0, 1] with 0.9, so such a value would not do what it says.
    problems.expect(
      input.maxCpuUtilization > 0 && input.maxCpuUtilization <= 1,
      `maxCpuUtilization is ${input.maxCpuUtilization}; expected a share of the CPU above 0 and at most 1 (e.g. 0.9)`,
    );
  }
  if (input.tls !== undefined) {
    problems.port("tls.port", input.tls.port);
    problems.expect(input.tls.port !== input.sipPort, `tls.port is ${input.tls.port}; expected a port other than sipPort (livekit-sip binds both)`);
    problems.expect(/^[a-z0-9.-]+$/.test(input.tls.hostname), `tls.hostname is ${JSON.stringify(input.tls.hostname)}; expected a DNS name`);
    for (const name of ["certFile", "keyFile"] as const) {
      problems.expect(input.tls[name].startsWith("/"), `tls.${name} is ${JSON.stringify(input.tls[name])}; expected an absolute path`);
    }
  }
  problems.throwIfAny();
}

/**
 * Renders the livekit-sip config. Throws one error listing every invalid input. The service reads
 * it with `--config <path>` (the image's entrypoint passes `--config=/sip/config.yaml`) or its body
 * from the SIP_CONFIG_BODY environment variable. It holds no secret: livekit-sip signs its room joins
 * with the key pair from its environment (`livekitKeysEnvironment`).
 */
export function renderSipConfig(input: SipConfigInput): string {
  validate(input);
  const publicAddress = input.publicAddress;
  const config = {
    ws_url: input.wsUrl,
    redis: {
      address: input.redis.address,
      ...(input.redis.password !== undefined && { password: input.redis.password }),
    },
    sip_port: input.sipPort,
    ...(input.listenIp !== undefined && { listen_ip: input.listenIp }),
    // livekit-sip reads a port range only from a "start-end" scalar; a mapping would be ignored.
    rtp_port: `${input.rtpPorts.start}-${input.rtpPorts.end}`,
    ...("staticIp" in publicAddress ? { nat_1_to_1_ip: publicAddress.staticIp } : { use_external_ip: true }),
    ...(input.healthPort !== undefined && { health_port: input.healthPort }),
    ...(input.prometheusPort !== undefined && { prometheus_port: input.prometheusPort }),
    ...(input.maxCpuUtilization !== undefined && { max_cpu_utilization: input.maxCpuUtilization }),
    // JSON lines: the Ops Agent parses them into fields (level, room, nodeID, callID).
    logging: { level: input.logLevel, json: true },
    ...(input.tls !== undefined && {
      sip_hostname: input.tls.hostname,
      tls: { port: input.tls.port, certs: [{ cert_file: input.tls.certFile, key_file: input.tls.keyFile }] },
    }),
  };
  return toGoYaml(config);
}
