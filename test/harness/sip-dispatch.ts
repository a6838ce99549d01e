import { spawnSync } from "node:child_process";
import { goToolPath, goTools, requireBinaries } from "./binaries";

/** livekit-server's answer to "which rule takes this inbound call" (rpc.EvaluateSIPDispatchRulesResponse as JSON). */
export interface SipDispatchEvaluation {
  /** `ACCEPT`, `REQUEST_PIN` or `DROP` (no rule matched). */
  result?: string;
  /** The inbound trunk livekit-server matched. */
  sipTrunkId?: string;
  /** The dispatch rule it picked. */
  sipDispatchRuleId?: string;
  /** The room the call would get. */
  roomName?: string;
  /** The room's configuration, with the agents dispatched into it. */
  roomConfig?: { agents?: { agentName?: string }[] };
}

/** A call as livekit-sip describes it to livekit-server. */
export interface InboundCall {
  /** Called number (the SIP To user). */
  to: string;
  /** Calling number (the SIP From user). */
  from: string;
  /** Source address of the INVITE. Defaults to 127.0.0.1. */
  source?: string;
}

/**
 * Asks the livekit-server on `redisAddress` to evaluate its dispatch rules for `call`, over the
 * same RPC livekit-sip sends for every INVITE (the harness's sip-dispatch-evaluator), and returns
 * its answer. Nothing is created: no room, no dispatch.
 */
export function evaluateSipDispatch(redisAddress: string, call: InboundCall): SipDispatchEvaluation {
  const binary = goToolPath(goTools.sipDispatchEvaluator);
  requireBinaries([binary]);
  const args = ["-redis", redisAddress, "-to", call.to, "-from", call.from, "-src", call.source ?? "127.0.0.1"];
  const result = spawnSync(binary, args, { encoding: "utf8", timeout: 30_000 });
  const reply = JSON.parse(result.stdout || "{}") as SipDispatchEvaluation & { error?: string };
  if (result.status !== 0 || reply.error !== undefined) {
    throw new Error(`${binary} ${args.join(" ")} failed: ${reply.error ?? result.stderr ?? result.error?.message}`);
  }
  return reply;
}
