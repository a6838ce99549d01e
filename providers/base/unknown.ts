/**
 * The engine's placeholder for values not known yet during preview (e.g. the SID of a
 * resource still to be created). Checks must skip such values instead of rejecting them.
 * See node_modules/@pulumi/pulumi/runtime/rpc.js (`unknownValue`).
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when a dynamic-provider input is the engine's preview placeholder. */
export function isUnknownValue(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}
