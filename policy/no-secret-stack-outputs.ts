import type { StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { entriesOf, reportDeferred, unknown } from "./preview-values";
import { isSecretName, secretsInText } from "./secret-text";
import { formatPath, walkValues } from "./walk-values";

/** Type token of the root resource whose properties are the stack outputs. */
export const stackType = "pulumi:pulumi:Stack";

/**
 * Flags stack outputs that are, or hold, a secret. A policy sees every output in plain text with
 * no mark of which ones are Pulumi secrets, so it cannot tell a leaked secret from a marked one:
 * this stack exports no secrets at all (consumers read them from stack config), so any output
 * named like a secret, or holding a private key, a URL password or a secret-named assignment, fails.
 * At preview an output computed from a resource the update creates is unknown: its name (and the
 * names inside it) are judged all the same, and its value is named as checked at the update.
 */
export const validateNoSecretStackOutputs: StackValidation = (args, reportViolation) => {
  const stack = args.resources.find((r) => r.type === stackType);
  if (stack === undefined) return;
  const pending: string[] = [];
  for (const [output, value] of entriesOf(stack.props)) {
    const findings = new Set<string>();
    walkValues(value, (inner, path) => {
      const full = [output, ...path];
      const key = full[full.length - 1];
      if (typeof key === "string" && isSecretName(key) && inner !== undefined && inner !== null && inner !== "") {
        findings.add(`${formatPath(full)} is named like a secret`);
      }
      if (typeof inner === "string") {
        for (const finding of secretsInText(inner)) findings.add(`${formatPath(full)} holds ${finding}`);
      }
      if (inner === unknown) pending.push(formatPath(full));
    });
    for (const finding of findings) {
      reportViolation(
        `Stack output ${finding}. This stack exports no secrets: remove the output and have consumers read the secret from stack config (pulumi config get --show-secrets), or a secret manager.`,
        stack.urn,
      );
    }
  }
  if (pending.length > 0) {
    reportDeferred(
      reportViolation,
      `${pending.length === 1 ? "stack output" : "stack outputs"} ${pending.join(", ")} ${pending.length === 1 ? "is" : "are"} not known until the update. ` +
        "Names are judged now; values are checked then for a private key, a URL password or a secret-named assignment.",
      stack.urn,
    );
  }
};

/** No stack output is or holds a secret. */
export const noSecretStackOutputs: StackValidationPolicy = {
  name: "no-secret-stack-outputs",
  description: "No stack output is or holds a secret (policies cannot see which outputs are marked secret, so none may be).",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: validateNoSecretStackOutputs,
};
