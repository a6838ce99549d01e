/**
 * livekit-server's default `agents.target_load`: it only dispatches to workers reporting a load
 * below this (github.com/livekit/livekit-server pkg/agent/config.go, DefaultTargetLoad), and
 * LiveKit Agents marks a worker full at the same 0.7 in production.
 */
export const LIVEKIT_TARGET_LOAD = 0.7;

/**
 * The load a worker reports when it limits itself to `maxCalls` concurrent calls: scaled so it
 * reaches {@link LIVEKIT_TARGET_LOAD} exactly when `maxCalls` calls are active, so the server stops
 * dispatching at the limit and not at 70 % of it.
 */
export function callLoad(activeCalls: number, maxCalls: number): number {
  return (Math.min(activeCalls, maxCalls) / maxCalls) * LIVEKIT_TARGET_LOAD;
}
