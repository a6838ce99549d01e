import { z } from "zod";
import { type CallMetadata, METADATA_EXAMPLE, parseCallMetadata } from "./call-metadata.ts";

/**
 * What a job asks of the worker, read from its metadata alone. Pure.
 * - `outbound`: a backend's dispatch with valid `{phone_number, call_id, ...}` metadata.
 * - `inbound`: a job with no metadata, which is how the stack's SIP dispatch rule dispatches the
 *   agent into an incoming call's room; the room's caller still has to confirm it.
 * - `probe`: `{"probe": "<who>"}`, a check that a worker takes jobs (`npm run doctor` dispatches
 *   one); it is no call, and the worker ends it at once.
 * - `invalid`: metadata that is given but is no valid outbound request.
 */
export type JobRequest =
  | { kind: "outbound"; metadata: CallMetadata }
  | { kind: "inbound" }
  | { kind: "probe"; source: string }
  | { kind: "invalid"; problems: string[] };

const probeSchema = z.strictObject({ probe: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/) });

/** The probe's metadata when `rawMetadata` is one, else undefined. */
function probeSource(rawMetadata: string): string | undefined {
  try {
    const parsed = probeSchema.safeParse(JSON.parse(rawMetadata));
    return parsed.success ? parsed.data.probe : undefined;
  } catch {
    return undefined;
  }
}

/** Classifies a job by its metadata string (see {@link JobRequest}). */
export function jobRequestFrom(rawMetadata: string): JobRequest {
  if (rawMetadata.trim() === "") return { kind: "inbound" };
  const probe = probeSource(rawMetadata);
  if (probe !== undefined) return { kind: "probe", source: probe };
  const parsed = parseCallMetadata(rawMetadata);
  return parsed.ok ? { kind: "outbound", metadata: parsed.metadata } : { kind: "invalid", problems: parsed.problems };
}

/**
 * The problems logged for a job with no metadata whose room holds no inbound caller: it is neither
 * kind of call. `callerProblem` says what the room held instead.
 */
export function notACallProblems(callerProblem: string): string[] {
  return [
    `job metadata is empty, so this is no outbound call request: dispatch outbound calls with JSON metadata like ${METADATA_EXAMPLE}`,
    `and it is no inbound call: ${callerProblem}; inbound calls are dispatched by the stack's SIP dispatch rule into the room livekit-sip creates for the caller`,
  ];
}
