import { ATTRIBUTES } from "./call-attributes.ts";
import type { CallMetadata } from "./call-metadata.ts";
import { ANSWERED, type CallOutcome, classifyDialError } from "./sip-outcome.ts";
import { sipClient } from "./sip-client.ts";
import type { WorkerConfig } from "./worker-config.ts";

/** Identity the callee's SIP participant gets in the call's room. */
export function calleeIdentity(callId: string): string {
  return `sip-${callId}`;
}

/**
 * Dials the callee with CreateSIPParticipant over the configured outbound trunk and waits until
 * the call is answered, rejected or the ringing timeout expires. Exactly one attempt: a failed
 * dial is reported, never retried, so a wrong password cannot turn into a storm of INVITEs.
 */
export async function dialCallee(config: WorkerConfig, metadata: CallMetadata, roomName: string): Promise<CallOutcome> {
  const client = sipClient(config);
  const fromNumber = metadata.callerId ?? config.defaultCallerId;
  try {
    await client.createSipParticipant(config.sipOutboundTrunkId, metadata.phoneNumber, roomName, {
      participantIdentity: calleeIdentity(metadata.callId),
      participantAttributes: { [ATTRIBUTES.callId]: metadata.callId },
      ...(fromNumber === undefined ? {} : { fromNumber }),
      // CreateSIPParticipant's wait_until_answered: the call returns once answered or failed,
      // and livekit-sip gives up ringing after ringing_timeout.
      waitUntilAnswered: true,
      ringingTimeout: config.ringingTimeoutSeconds,
      // CreateSIPParticipant's max_call_duration: livekit-sip ends the call then, so no call outlasts
      // the stack's stop grace (maxCallMinutes) and a drain always ends.
      ...(config.maxCallSeconds === undefined ? {} : { maxCallDuration: config.maxCallSeconds }),
    });
    return ANSWERED;
  } catch (error) {
    return classifyDialError(error);
  }
}
