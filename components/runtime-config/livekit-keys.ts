import { renderEnvFile } from "./env-file";
import { toGoYaml } from "./go-yaml";
import { RenderProblems } from "./livekit-yaml";

/** The LiveKit API key pair livekit-server accepts and livekit-sip signs with. */
export interface LivekitKeys {
  /** API key. */
  apiKey: string;
  /** Its secret; at least 32 characters. */
  apiSecret: string;
}

/**
 * The environment that gives livekit-server and livekit-sip the key pair, so that livekit.yaml and
 * the SIP config hold no secret and read plainly in a preview diff: livekit-server takes its keys
 * from `LIVEKIT_KEYS` ("key: secret", read as YAML by yaml.v3, so written by the Go YAML writer on
 * one line), livekit-sip from `LIVEKIT_API_KEY` and `LIVEKIT_API_SECRET` (both servers' own
 * environment variables at the pinned versions). Throws listing every invalid input.
 */
export function livekitKeysEnvironment(keys: LivekitKeys): Record<string, string> {
  const problems = new RenderProblems("the LiveKit key pair");
  problems.apiCredentials("apiKey", keys.apiKey, "apiSecret", keys.apiSecret);
  problems.throwIfAny();
  return {
    LIVEKIT_KEYS: toGoYaml({ [keys.apiKey]: keys.apiSecret }).trimEnd(),
    LIVEKIT_API_KEY: keys.apiKey,
    LIVEKIT_API_SECRET: keys.apiSecret,
  };
}

/**
 * The env file compose gives livekit-server and livekit-sip (mode 0600): {@link livekitKeysEnvironment},
 * and with `redisPassword` (a node sharing Memorystore) livekit-server's `REDIS_PASSWORD`, which it
 * prefers to livekit.yaml's `redis.password` (livekit-server cmd/server/main.go), keeping that file plain.
 */
export function renderLivekitKeysEnv(keys: LivekitKeys, redisPassword?: string): string {
  const variables = Object.entries(livekitKeysEnvironment(keys));
  if (redisPassword !== undefined) variables.push(["REDIS_PASSWORD", redisPassword]);
  return renderEnvFile("the LiveKit API key pair of livekit-server and livekit-sip", variables);
}
