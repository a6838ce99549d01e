import { defaultMaxCallMinutes } from "../../components/call-limits";
import { configFields } from "../../components/config/fields";
import type { LivekitKeys, RuntimeInput } from "../../components/runtime-config";

const { rtcTcpPort, rtcUdpPort, sipPort, rtpPortStart, rtpPortEnd, turnUdpPort } = configFields;

/** Production-shaped runtime input for renderer tests. */
export function productionRuntimeInput(overrides: Partial<RuntimeInput> = {}): RuntimeInput {
  return {
    domain: "voice.example.com",
    staticIp: "203.0.113.10",
    logLevel: "info",
    ports: {
      rtcTcp: rtcTcpPort.default,
      rtcUdp: rtcUdpPort.default,
      sip: sipPort.default,
      rtpStart: rtpPortStart.default,
      rtpEnd: rtpPortEnd.default,
      turnUdp: turnUdpPort.default,
    },
    turnEnabled: false,
    secureTrunking: true,
    versions: { livekitServer: "v1.13.5", livekitSip: "v1.8.0", redis: "7.4.2-alpine", caddy: "2.9.1-alpine" },
    workerImage: `us-central1-docker.pkg.dev/agent-studio-voice-test/agent-studio-voice-test/worker@sha256:${"0123456789abcdef".repeat(4)}`,
    maxCallMinutes: defaultMaxCallMinutes,
    ...overrides,
  };
}

/** Production-shaped LiveKit key pair for renderer tests. */
export function productionKeys(overrides: Partial<LivekitKeys> = {}): LivekitKeys {
  return { apiKey: "APItestkey", apiSecret: "s3cretS3cretS3cretS3cretS3cretS3cret", ...overrides };
}
