import { hostLayout } from "./host-layout";

/** File names of the rendered runtime files inside the stack directory on the host. */
export const fileNames = {
  compose: "docker-compose.yml",
  livekit: "livekit.yaml",
  sip: "sip.yaml",
  redis: "redis.conf",
  caddy: "Caddyfile",
  systemdUnit: "agent-studio-voice.service",
  workerEnv: "worker.env",
  workerSlots: "worker-slots.sh",
  livekitKeys: "livekit-keys.env",
} as const;

/** Where the worker slots' script lives on the host (see `workerSlots`). */
export const workerSlotsScriptPath = `${hostLayout.stackDir}/${fileNames.workerSlots}`;
