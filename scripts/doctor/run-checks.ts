import type { CheckResult, DoctorCheck } from "./check-result";

/**
 * Runs every check concurrently (they probe different things) and returns their results in the
 * order given; names in `skip` are reported as skipped without running (on every node). A check
 * that throws is a failure whose detail is the error's message.
 */
export async function runChecks(checks: readonly DoctorCheck[], skip: readonly string[] = []): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      const named = { check: check.name, ...(check.node !== undefined && { node: check.node }) };
      if (skip.includes(check.name)) return { ...named, status: "skip", detail: "skipped (--skip)" };
      try {
        return { ...named, ...(await check.run()) };
      } catch (error) {
        return {
          ...named,
          status: "fail",
          detail: `the check could not run: ${error instanceof Error ? error.message : String(error)}`,
          fix: "Fix what the message says, then run the doctor again.",
        };
      }
    }),
  );
}
