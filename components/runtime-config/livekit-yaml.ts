import { isIP } from "node:net";
import { toGoYaml } from "./go-yaml";

// Keys and semantics below follow livekit-server's own config type (pkg/config/config.go and
// mediatransportutil's rtcconfig.RTCConfig at the pinned version); livekit-server decodes with
// unknown keys rejected, so every key here is one it knows.

/** Log levels both livekit-server and livekit-sip accept. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * How a server learns the public IP it advertises (ICE candidates, SDP): by asking public STUN
 * servers at start-up, or a static IP given up front (no STUN round trip, works without egress).
 */
export type PublicAddress = { useExternalIp: true } | { staticIp: string };

/** Room behaviour for voice calls. */
export interface VoiceRoomSettings {
  /** Seconds an empty room stays open before the first participant joins. Defaults to 120. */
  emptyTimeoutSeconds?: number;
  /** Seconds a room stays open after the last participant leaves. Defaults to 20. */
  departureTimeoutSeconds?: number;
}

/** Everything livekit.yaml is rendered from. */
export interface LivekitYamlInput {
  /** Port of the HTTP API and WebSocket signaling (production 7880, behind Caddy). */
  port: number;
  /** Addresses the API, signaling and Prometheus listeners bind (production `["127.0.0.1"]`). */
  bindAddresses: string[];
  /** WebRTC transport. */
  rtc: {
    /** ICE over TCP port (production 7881), or null to turn ICE/TCP off; it binds every interface. */
    tcpPort: number | null;
    /** The single muxed ICE/UDP port (production 7882). */
    udpPort: number;
    /** How the node's public IP is found. */
    publicAddress: PublicAddress;
    /** CIDRs ICE may gather and bind on. Defaults to every interface. */
    ipIncludes?: string[];
    /** Whether loopback ICE candidates are offered (local tests only). Defaults to false. */
    loopbackCandidates?: boolean;
  };
  /** Redis shared with livekit-sip (production `127.0.0.1:6379`). */
  redis: { address: string; password?: string };
  /** Embedded TURN over UDP (TURN/TLS is off: Caddy holds the certificate). Defaults to off. */
  turn?: {
    /** TURN/UDP listening port (production 3478). */
    udpPort: number;
    /** Addresses the TURN listener binds. Defaults to every interface. */
    bindAddresses?: string[];
  };
  /** Prometheus metrics port, served on {@link bindAddresses}. Defaults to no metrics listener. */
  prometheusPort?: number;
  /** Log level. */
  logLevel: LogLevel;
  /** Room settings. Defaults to {@link voiceRoomDefaults}. */
  room?: VoiceRoomSettings;
}

/** Room defaults for phone calls: an agent and a caller, rooms closed soon after they leave. */
export const voiceRoomDefaults: Required<VoiceRoomSettings> = {
  emptyTimeoutSeconds: 120,
  departureTimeoutSeconds: 20,
};

// Voice only: Opus (with RED redundancy) for WebRTC participants, G.711 for the SIP bridge.
// Leaving video out means a client cannot publish video into a voice room.
const voiceCodecs = ["audio/opus", "audio/red", "audio/PCMU", "audio/PCMA"];

/** livekit-server only logs an error for shorter secrets; we refuse them. */
export const minApiSecretLength = 32;

/**
 * Collects input problems as one line each (field, bad value, what is expected) and throws them
 * together, so a caller fixes everything in one pass. Secrets are described, never printed.
 */
export class RenderProblems {
  private readonly problems: string[] = [];

  constructor(private readonly file: string) {}

  /** Records a problem unless `ok`. */
  expect(ok: boolean, problem: string): void {
    if (!ok) {
      this.problems.push(problem);
    }
  }

  /** A TCP/UDP port number. */
  port(field: string, value: number): void {
    this.expect(Number.isInteger(value) && value >= 1 && value <= 65535, `${field} is ${value}; expected an integer port 1-65535`);
  }

  /** An IPv4 or IPv6 address. */
  ip(field: string, value: string): void {
    this.expect(isIP(value) !== 0, `${field} is ${JSON.stringify(value)}; expected an IPv4 or IPv6 address`);
  }

  /** An API key and its secret. */
  apiCredentials(keyField: string, key: string, secretField: string, secret: string): void {
    this.expect(
      /^[A-Za-z0-9_.-]+$/.test(key),
      `${keyField} is ${JSON.stringify(key)}; expected letters, digits, "_", "-" or "." (as \`livekit-server generate-keys\` makes)`,
    );
    this.expect(
      secret.length >= minApiSecretLength,
      `${secretField} has ${secret.length} characters; expected at least ${minApiSecretLength} (livekit-server flags shorter secrets as insecure)`,
    );
  }

  /** Throws every recorded problem at once. */
  throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new Error(`Cannot render ${this.file}:\n- ${this.problems.join("\n- ")}`);
    }
  }
}

function addressCidrOk(value: string): boolean {
  const [address, bits, ...rest] = value.split("/");
  const family = isIP(address ?? "");
  const max = family === 4 ? 32 : 128;
  return family !== 0 && rest.length === 0 && bits !== undefined && /^\d+$/.test(bits) && Number(bits) <= max;
}

function validate(input: LivekitYamlInput): void {
  const problems = new RenderProblems("livekit.yaml");
  problems.port("port", input.port);
  problems.expect(input.bindAddresses.length > 0, "bindAddresses is empty; expected at least one address (production: 127.0.0.1)");
  input.bindAddresses.forEach((address, i) => problems.ip(`bindAddresses[${i}]`, address));
  if (input.rtc.tcpPort !== null) {
    problems.port("rtc.tcpPort", input.rtc.tcpPort);
  }
  problems.port("rtc.udpPort", input.rtc.udpPort);
  if ("staticIp" in input.rtc.publicAddress) {
    problems.ip("rtc.publicAddress.staticIp", input.rtc.publicAddress.staticIp);
  }
  (input.rtc.ipIncludes ?? []).forEach((cidr, i) =>
    problems.expect(addressCidrOk(cidr), `rtc.ipIncludes[${i}] is ${JSON.stringify(cidr)}; expected a CIDR such as 10.0.0.0/8`),
  );
  problems.expect(/^[^\s]+:\d+$/.test(input.redis.address), `redis.address is ${JSON.stringify(input.redis.address)}; expected host:port`);
  if (input.turn) {
    problems.port("turn.udpPort", input.turn.udpPort);
    (input.turn.bindAddresses ?? []).forEach((address, i) => problems.ip(`turn.bindAddresses[${i}]`, address));
  }
  if (input.prometheusPort !== undefined) {
    problems.port("prometheusPort", input.prometheusPort);
  }
  const room = { ...voiceRoomDefaults, ...input.room };
  for (const [field, value] of Object.entries(room)) {
    problems.expect(Number.isInteger(value) && value >= 0, `room.${field} is ${value}; expected a whole number of seconds`);
  }
  problems.throwIfAny();
}

/**
 * Renders livekit.yaml for livekit-server. Throws one error listing every invalid input. The
 * server reads it with `--config <path>` (or its body from the LIVEKIT_CONFIG environment variable).
 * It holds no secret: the key pair comes from the environment (`livekitKeysEnvironment`).
 */
export function renderLivekitYaml(input: LivekitYamlInput): string {
  validate(input);
  const room = { ...voiceRoomDefaults, ...input.room };
  const publicAddress = input.rtc.publicAddress;
  const config = {
    port: input.port,
    bind_addresses: input.bindAddresses,
    ...(input.prometheusPort !== undefined && { prometheus: { port: input.prometheusPort } }),
    redis: {
      address: input.redis.address,
      ...(input.redis.password !== undefined && { password: input.redis.password }),
    },
    rtc: {
      udp_port: input.rtc.udpPort,
      // 0 overrides livekit-server's default TCP port of 7881, which turns ICE/TCP off.
      tcp_port: input.rtc.tcpPort ?? 0,
      ...("staticIp" in publicAddress ? { node_ip: publicAddress.staticIp, use_external_ip: false } : { use_external_ip: true }),
      ...(input.rtc.ipIncludes && { ips: { includes: input.rtc.ipIncludes } }),
      ...(input.rtc.loopbackCandidates && { enable_loopback_candidate: true }),
    },
    ...(input.turn && {
      turn: {
        enabled: true,
        udp_port: input.turn.udpPort,
        ...(input.turn.bindAddresses && { bind_addresses: input.turn.bindAddresses }),
      },
    }),
    room: {
      empty_timeout: room.emptyTimeoutSeconds,
      departure_timeout: room.departureTimeoutSeconds,
      enabled_codecs: voiceCodecs.map((mime) => ({ mime })),
    },
    // JSON lines: the Ops Agent parses them into fields (level, room, nodeID, callID).
    logging: { level: input.logLevel, json: true },
  };
  return toGoYaml(config);
}
