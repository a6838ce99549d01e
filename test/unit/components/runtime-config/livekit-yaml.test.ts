import { type LivekitYamlInput, renderLivekitYaml, voiceRoomDefaults } from "../../../../components/runtime-config/livekit-yaml";
import { expectOnlyKnownKeys, expectRedisPasswordKept, type KeyTree, loggerConfigKeys, parseLikeGo, redisConfigKeys } from "../../../utils/config-key-tree";

// The keys livekit-server v1.13.5 knows in every section livekit.yaml renders, copied from its
// config types: pkg/config/config.go (Config, RTCConfig, TURNConfig, RoomConfig, CodecSpec,
// PrometheusConfig, LoggingConfig), mediatransportutil rtcconfig.RTCConfig (inlined into rtc),
// protocol redis.RedisConfig and logger.Config (inlined into logging). livekit-server itself
// rejects unknown keys; the harness integration tests run it on the rendered file.
const livekitServerKeys: KeyTree = {
  port: true,
  bind_addresses: true,
  prometheus_port: true,
  prometheus: { port: true, username: true, password: true },
  debug_handler: true,
  rtc: {
    udp_port: true,
    tcp_port: true,
    port_range_start: true,
    port_range_end: true,
    use_stun_port_as_ice: true,
    node_ip: true,
    stun_servers: true,
    use_external_ip: true,
    skip_external_ip_validation: true,
    advertise_internal_ip: true,
    use_ice_lite: true,
    interfaces: { includes: true, excludes: true },
    ips: { includes: true, excludes: true },
    enable_loopback_candidate: true,
    use_mdns: true,
    external_ip_only: true,
    batch_io: true,
    sctp_min_cwnd: true,
    sctp_fast_rtx_wnd: true,
    sctp_cwnd_ca_step: true,
    host_acceptance_min_wait: true,
    srflx_acceptance_min_wait: true,
    prflx_acceptance_min_wait: true,
    relay_acceptance_min_wait: true,
    force_tcp: true,
    turn_servers: true,
    strict_acks: true,
    packet_buffer_size: true,
    packet_buffer_size_video: true,
    packet_buffer_size_audio: true,
    pli_throttle: true,
    congestion_control: true,
    allow_tcp_fallback: true,
    tcp_fallback_rtt_threshold: true,
    allow_udp_unstable_fallback: true,
    reconnect_on_publication_error: true,
    reconnect_on_subscription_error: true,
    reconnect_on_data_channel_error: true,
    data_channel_max_buffered_amount: true,
    datachannel_slow_threshold: true,
    datachannel_lossy_target_latency: true,
    datachannel_data_track_target_latency: true,
    forward_stats: true,
    enable_rtp_stream_restart_detection: true,
  },
  redis: redisConfigKeys,
  audio: true,
  video: true,
  room: {
    auto_create: true,
    enabled_codecs: [{ mime: true, fmtp_line: true }],
    max_participants: true,
    empty_timeout: true,
    departure_timeout: true,
    enable_remote_unmute: true,
    playout_delay: true,
    sync_streams: true,
    create_room_timeout: true,
    create_room_attempts: true,
    update_batch_target_size: true,
    max_metadata_size: true,
    max_room_name_length: true,
    max_participant_identity_length: true,
    room_configurations: true,
  },
  turn: {
    enabled: true,
    domain: true,
    cert_file: true,
    key_file: true,
    tls_port: true,
    udp_port: true,
    relay_range_start: true,
    relay_range_end: true,
    external_tls: true,
    bind_addresses: true,
    ttl_seconds: true,
    allow_restricted_peer_cidrs: true,
    deny_peer_cidrs: true,
  },
  ingress: true,
  sip: true,
  webhook: true,
  node_selector: true,
  key_file: true,
  keys: true,
  region: true,
  signal_relay: true,
  psrpc: true,
  log_level: true,
  logging: { ...loggerConfigKeys, pion_level: true },
  limit: true,
  agents: true,
  development: true,
  metric: true,
  trace: true,
  node_stats: true,
  enable_data_tracks: true,
  enable_participant_data_blob: true,
  api: true,
};

/** What the production stack passes: loopback API behind Caddy, public ICE ports, TURN/UDP. */
const production: LivekitYamlInput = {
  port: 7880,
  bindAddresses: ["127.0.0.1"],
  rtc: { tcpPort: 7881, udpPort: 7882, publicAddress: { useExternalIp: true } },
  redis: { address: "127.0.0.1:6379" },
  turn: { udpPort: 3478 },
  prometheusPort: 6789,
  logLevel: "info",
};

/** What the test harness passes: everything on loopback, ICE/TCP off. */
const local: LivekitYamlInput = {
  port: 40001,
  bindAddresses: ["127.0.0.1"],
  rtc: {
    tcpPort: null,
    udpPort: 40002,
    publicAddress: { staticIp: "127.0.0.1" },
    ipIncludes: ["127.0.0.1/32"],
    loopbackCandidates: true,
  },
  redis: { address: "127.0.0.1:40003" },
  turn: { udpPort: 40004, bindAddresses: ["127.0.0.1"] },
  prometheusPort: 40005,
  logLevel: "debug",
};

describe("renderLivekitYaml", () => {
  it("renders the production livekit.yaml", () => {
    expect(renderLivekitYaml(production)).toBe(`port: 7880
bind_addresses:
  - 127.0.0.1
prometheus:
  port: 6789
redis:
  address: 127.0.0.1:6379
rtc:
  udp_port: 7882
  tcp_port: 7881
  use_external_ip: true
turn:
  enabled: true
  udp_port: 3478
room:
  empty_timeout: 120
  departure_timeout: 20
  enabled_codecs:
    - mime: audio/opus
    - mime: audio/red
    - mime: audio/PCMU
    - mime: audio/PCMA
logging:
  level: info
  json: true
`);
  });

  it.each([
    ["production", production],
    ["local", local],
  ])("renders only keys livekit-server knows (%s values)", (_name, input) => {
    expectOnlyKnownKeys(renderLivekitYaml(input), livekitServerKeys);
  });

  it("advertises a static IP without asking STUN when one is given", () => {
    const rtc = parseLikeGo(renderLivekitYaml({ ...production, rtc: { ...production.rtc, publicAddress: { staticIp: "203.0.113.10" } } })).rtc;
    expect(rtc).toMatchObject({ node_ip: "203.0.113.10", use_external_ip: false });
  });

  it("turns ICE/TCP off with tcp_port 0 rather than leaving livekit-server's default 7881", () => {
    expect(parseLikeGo(renderLivekitYaml(local)).rtc.tcp_port).toBe(0);
  });

  it("binds TURN only where asked and leaves it off unless configured", () => {
    expect(parseLikeGo(renderLivekitYaml(local)).turn).toEqual({ enabled: true, udp_port: 40004, bind_addresses: ["127.0.0.1"] });
    const { turn: _turn, ...withoutTurn } = production;
    expect(parseLikeGo(renderLivekitYaml(withoutTurn)).turn).toBeUndefined();
  });

  it("applies room overrides over the voice defaults", () => {
    expect(voiceRoomDefaults).toEqual({ emptyTimeoutSeconds: 120, departureTimeoutSeconds: 20 });
    const room = parseLikeGo(renderLivekitYaml({ ...production, room: { emptyTimeoutSeconds: 30 } })).room;
    expect(room).toMatchObject({ empty_timeout: 30, departure_timeout: 20 });
  });

  it("keeps the Redis password intact and the structure fixed, whatever characters it holds", () => {
    expectRedisPasswordKept((password) => renderLivekitYaml({ ...production, redis: { address: "127.0.0.1:6379", password } }));
  });

  it("lists every invalid input in one error, naming field, value and expectation", () => {
    const render = () =>
      renderLivekitYaml({
        ...production,
        port: 70000,
        bindAddresses: ["localhost"],
        rtc: { tcpPort: 0, udpPort: 7882.5, publicAddress: { staticIp: "203.0.113" }, ipIncludes: ["10.0.0.0"] },
        redis: { address: "127.0.0.1" },
        room: { emptyTimeoutSeconds: -1 },
      });
    expect(render).toThrow(
      [
        "Cannot render livekit.yaml:",
        "- port is 70000; expected an integer port 1-65535",
        '- bindAddresses[0] is "localhost"; expected an IPv4 or IPv6 address',
        "- rtc.tcpPort is 0; expected an integer port 1-65535",
        "- rtc.udpPort is 7882.5; expected an integer port 1-65535",
        '- rtc.publicAddress.staticIp is "203.0.113"; expected an IPv4 or IPv6 address',
        '- rtc.ipIncludes[0] is "10.0.0.0"; expected a CIDR such as 10.0.0.0/8',
        '- redis.address is "127.0.0.1"; expected host:port',
        "- room.emptyTimeoutSeconds is -1; expected a whole number of seconds",
      ].join("\n"),
    );
  });
});
