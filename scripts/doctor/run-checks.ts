import type { CheckResult, DoctorCheck } from "./check-result";

/**
 * Runs every check concurrently (they probe different things) and returns their results in the
 * order given; names in `skip` are reported as skipped without running. A check that throws is a
 * failure whose detail is the error's message.
 */
export async function runChecks(checks: readonly DoctorCheck[], skip: readonly string[] = []): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      if (skip.includes(check.name)) return { check: check.name, status: "skip", detail: "skipped (--skip)" };
      try {
        return { check: check.name, ...(await check.run()) };
      } catch (error) {
        return {
          check: check.name,
          status: "fail",
          detail: `the check could not run: ${error instanceof Error ? error.message : String(error)}`,
          fix: "Fix what the message says, then run the doctor again.",
        };
      }
    }),
  );
}
