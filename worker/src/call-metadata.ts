import { z } from "zod";
import { showValue } from "./field-problem.ts";
import { E164_EXPECTATION, e164PhoneNumber } from "./phone-number.ts";

/** What the backend puts in the dispatch's metadata, after validation. */
export interface CallMetadata {
  /** The callee, E.164. */
  phoneNumber: string;
  /** The backend's identifier of this call, echoed in every log line and attribute. */
  callId: string;
  /** Number shown to the callee; when absent the worker's default (or the trunk's number) is used. */
  callerId?: string;
  /** Agent Studio agent the call belongs to, carried into logs and attributes. */
  agent?: string;
}

/** Result of {@link parseCallMetadata}: the metadata, or one message per problem found. */
export type CallMetadataResult = { ok: true; metadata: CallMetadata } | { ok: false; problems: string[] };

const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);
const IDENTIFIER_EXPECTATION =
  "1-128 characters: letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

const schema = z.strictObject({
  phone_number: e164PhoneNumber,
  call_id: identifier,
  caller_id: e164PhoneNumber.optional(),
  agent: identifier.optional(),
});

type Field = keyof z.infer<typeof schema>;

const EXPECTED: Record<Field, string> = {
  phone_number: `the number to call, ${E164_EXPECTATION}`,
  call_id: `the backend's call identifier, ${IDENTIFIER_EXPECTATION}`,
  caller_id: `the number to show to the callee, ${E164_EXPECTATION}`,
  agent: `the Agent Studio agent identifier, ${IDENTIFIER_EXPECTATION}`,
};

/** An example of valid metadata, quoted in every error so the fix is a copy away. */
export const METADATA_EXAMPLE = '{"phone_number":"+14155550123","call_id":"call-123"}';

const FIX = `dispatch the job with JSON metadata like ${METADATA_EXAMPLE} (caller_id and agent are optional)`;

/**
 * Validates a job's metadata string: JSON `{phone_number, call_id, caller_id?, agent?}` and nothing
 * else (an unknown key is most often a misspelt one, so it is rejected rather than ignored).
 * Every problem names the field, shows the bad value and says what is expected.
 */
export function parseCallMetadata(raw: string): CallMetadataResult {
  if (raw.trim() === "") {
    return { ok: false, problems: [`job metadata is empty: ${FIX}`] };
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return {
      ok: false,
      problems: [`job metadata is not valid JSON (${(error as Error).message}): ${FIX}`],
    };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, problems: [`job metadata is ${showValue(data)}, not a JSON object: ${FIX}`] };
  }
  const parsed = schema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.flatMap((issue) => describeIssue(issue, data)) };
  }
  const { phone_number, call_id, caller_id, agent } = parsed.data;
  return {
    ok: true,
    metadata: {
      phoneNumber: phone_number,
      callId: call_id,
      ...(caller_id === undefined ? {} : { callerId: caller_id }),
      ...(agent === undefined ? {} : { agent }),
    },
  };
}

function describeIssue(issue: z.core.$ZodIssue, data: object): string[] {
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(EXPECTED).join(", ");
    return issue.keys.map(
      (key) => `job metadata field ${showValue(key)} is not recognised: expected only ${known}; ${FIX}`,
    );
  }
  const field = String(issue.path[0]) as Field;
  const expected = EXPECTED[field];
  if (!(field in data)) {
    return [`job metadata field "${field}" is missing: expected ${expected}; ${FIX}`];
  }
  return [`job metadata field "${field}" is ${showValue(issue.input)}: expected ${expected}; ${FIX}`];
}
