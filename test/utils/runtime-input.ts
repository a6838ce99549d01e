import { defaultMaxCallMinutes } from "../../components/call-limits";
import type { LivekitKeys, RuntimeInput } from "../../components/runtime-config";

/** Production-shaped runtime input for renderer tests. */
export function productionRuntimeInput(overrides: Partial<RuntimeInput> = {}): RuntimeInput {
  return {
    domain: "voice.example.com",
    staticIp: "203.0.113.10",
    logLevel: "info",
    ports: { rtcTcp: 7881, rtcUdp: 7882, sip: 5060, rtpStart: 10000, rtpEnd: 20000, turnUdp: 3478 },
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
