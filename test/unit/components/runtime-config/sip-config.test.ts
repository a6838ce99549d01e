import fc from "fast-check";
import { renderSipConfig, type SipConfigInput } from "../../../../components/runtime-config/sip-config";
import { expectOnlyKnownKeys, expectRedisPasswordKept, type KeyTree, loggerConfigKeys, parseLikeGo, redisConfigKeys, unknownKeys } from "../../../utils/config-key-tree";

// The keys livekit-sip v1.8.0 knows, copied from its config type (pkg/config/config.go: Config,
// TLSConfig, TCPConfig) with protocol's redis.RedisConfig and logger.Config. livekit-sip ignores
// unknown keys without a word, so this list is the only guard against a misspelt key.
const livekitSipKeys: KeyTree = {
  redis: redisConfigKeys,
  api_key: true,
  api_secret: true,
  ws_url: true,
  health_port: true,
  prometheus_port: true,
  pprof_port: true,
  sip_port: true,
  sip_port_listen: true,
  sip_hostname: true,
  outbound_route_headers: true,
  sip_ringing_interval: true,
  tcp: { dial_port: true },
  tls: {
    port: true,
    port_listen: true,
    certs: true,
    key_log: true,
    min_version: true,
    max_version: true,
    cipher_suites: true,
    alpn: true,
  },
  rtp_port: true,
  logging: loggerConfigKeys,
  cluster_id: true,
  max_cpu_utilization: true,
  max_active_calls: true,
  sip_trunk_ids: true,
  use_external_ip: true,
  local_net: true,
  nat_1_to_1_ip: true,
  listen_ip: true,
  udp_max_payload: true,
  media_use_external_ip: true,
  media_nat_1_to_1_ip: true,
  media_timeout: true,
  media_timeout_initial: true,
  symmetric_rtp: true,
  rtp_draining_idle_timeout: true,
  rtp_draining_duration: true,
  ignore_local_addr_in_sdp: true,
  codecs: true,
  hide_inbound_port: true,
  disable_rejected_invite_cache: true,
  add_record_route: true,
  audio_dtmf: true,
  enable_jitter_buffer: true,
  enable_jitter_buffer_prob: true,
  jaeger_url: true,
  experimental: { inbound_wait_ack: true },
};

/** What the production stack passes: SIP on every interface, public IP from STUN. */
const production: SipConfigInput = {
  wsUrl: "ws://127.0.0.1:7880",
  redis: { address: "127.0.0.1:6379" },
  sipPort: 5060,
  rtpPorts: { start: 10000, end: 20000 },
  publicAddress: { useExternalIp: true },
  healthPort: 8080,
  prometheusPort: 6790,
  logLevel: "info",
};

/** What the test harness passes: SIP on loopback, a small RTP range. */
const local: SipConfigInput = {
  wsUrl: "ws://127.0.0.1:40001",
  redis: { address: "127.0.0.1:40003" },
  sipPort: 40006,
  listenIp: "127.0.0.1",
  rtpPorts: { start: 25000, end: 25019 },
  publicAddress: { staticIp: "127.0.0.1" },
  healthPort: 40007,
  logLevel: "debug",
};

describe("renderSipConfig", () => {
  it("renders the production SIP service config", () => {
    expect(renderSipConfig(production)).toBe(`ws_url: ws://127.0.0.1:7880
redis:
  address: 127.0.0.1:6379
sip_port: 5060
rtp_port: 10000-20000
use_external_ip: true
health_port: 8080
prometheus_port: 6790
logging:
  level: info
  json: true
`);
  });

  it.each([
    ["production", production],
    ["local", local],
  ])("renders only keys livekit-sip knows (%s values)", (_name, input) => {
    expectOnlyKnownKeys(renderSipConfig(input), livekitSipKeys);
  });

  it("writes the RTP range as the start-end scalar livekit-sip parses", () => {
    expect(parseLikeGo(renderSipConfig(local)).rtp_port).toBe("25000-25019");
  });

  it("announces a static IP with nat_1_to_1_ip and never sets it together with use_external_ip", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.boolean(), (ip, useStun) => {
        const config = parseLikeGo(renderSipConfig({ ...production, publicAddress: useStun ? { useExternalIp: true } : { staticIp: ip } }));
        // livekit-sip refuses to start with both set.
        expect("use_external_ip" in config && "nat_1_to_1_ip" in config).toBe(false);
        expect(useStun ? config.use_external_ip : config.nat_1_to_1_ip).toBe(useStun ? true : ip);
      }),
    );
  });

  it("keeps the Redis password intact and the structure fixed, whatever characters it holds", () => {
    expectRedisPasswordKept((password) => renderSipConfig({ ...production, redis: { address: "127.0.0.1:6379", password } }));
  });

  it("leaves livekit-sip's CPU admission limit at its default unless one is given", () => {
    expect(parseLikeGo(renderSipConfig(production))).not.toHaveProperty("max_cpu_utilization");
    const limited = parseLikeGo(renderSipConfig({ ...local, maxCpuUtilization: 1 }));
    expect(limited.max_cpu_utilization).toBe(1);
    expect(unknownKeys(limited, livekitSipKeys)).toEqual([]);
  });

  it.each([0, -0.5, 1.5, Number.NaN])("refuses a CPU admission limit of %s, which livekit-sip would silently replace with 0.9", (limit) => {
    expect(() => renderSipConfig({ ...production, maxCpuUtilization: limit })).toThrow(
      `- maxCpuUtilization is ${limit}; expected a share of the CPU above 0 and at most 1 (e.g. 0.9)`,
    );
  });

  it("lists every invalid input in one error, naming field, value and expectation", () => {
    const render = () =>
      renderSipConfig({
        ...production,
        wsUrl: "http://127.0.0.1:7880",
        sipPort: 0,
        listenIp: "0.0.0",
        rtpPorts: { start: 20000, end: 20000 },
        publicAddress: { staticIp: "example.com" },
        healthPort: 65536,
      });
    expect(render).toThrow(
      [
        "Cannot render the SIP service config:",
        '- wsUrl is "http://127.0.0.1:7880"; expected a ws:// or wss:// URL of livekit-server',
        "- sipPort is 0; expected an integer port 1-65535",
        '- listenIp is "0.0.0"; expected an IPv4 or IPv6 address',
        "- rtpPorts is 20000-20000; expected start below end (livekit-sip rejects other ranges)",
        '- publicAddress.staticIp is "example.com"; expected an IPv4 or IPv6 address',
        "- healthPort is 65536; expected an integer port 1-65535",
      ].join("\n"),
    );
  });
});
