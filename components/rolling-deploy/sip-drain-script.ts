import { stopGraceSeconds } from "../call-limits";
import { shellQuote } from "../deployment/shell";
import { services } from "../runtime-config/compose";
import { fillTemplate } from "../runtime-config/fill-template";
import { hostLayout, internalPorts } from "../runtime-config/host-layout";
import { type OriginationUrlRef, type RollStep, rollStoppedMessage } from "./node-roll";

/** Where a node records the revision it was last rolled at (beside the deployed files' digests). */
export const rolledRevisionFile = `${hostLayout.appliedDir}/rolling-deploy.revision`;

/** Default time an updated node has to answer its health checks, in seconds. */
export const defaultHealthSeconds = 300;

/**
 * The rolling deploy's host script (templates/sip-drain.sh): `drain` raises the load balancer's
 * drain flag (the node's health check turns 503: no new signaling connection) and stops livekit-sip
 * once its calls have ended, waiting at most the stop grace of a call-carrying service (the longest call
 * and its margin); `resume` starts it again, waits until the node is healthy, lowers the flag and
 * records the revision, so a step re-run by a mere SSH connection change drains nothing.
 */
export function renderSipDrainScript(input: { maxCallMinutes: number; healthSeconds?: number }): string {
  return fillTemplate("sip-drain.sh", {
    PROJECT_NAME: hostLayout.composeProject,
    STACK_DIR: hostLayout.stackDir,
    SIP_SERVICE: services.sip,
    LIVEKIT_SERVICE: services.livekit,
    LIVEKIT_API_PORT: internalPorts.livekitApi,
    DRAIN_SECONDS: stopGraceSeconds(input.maxCallMinutes),
    HEALTH_SECONDS: input.healthSeconds ?? defaultHealthSeconds,
    ROLLED_FILE: rolledRevisionFile,
    LB_DRAIN_FLAG: `${hostLayout.drainDir}/${hostLayout.drainFlagName}`,
  });
}

/**
 * The command one host step of the gate runs over SSH, {@link renderSipDrainScript}'s script on its
 * stdin: on failure it adds what the roll leaves behind and how on-call gets out of it.
 */
export function sipDrainCommand(action: "drain" | "resume", revision: string, node: string, step: RollStep, url: OriginationUrlRef): string {
  return `sudo sh -s -- ${action} ${shellQuote(revision)} || { echo ${shellQuote(rollStoppedMessage(node, step, url))} >&2; exit 1; }`;
}
