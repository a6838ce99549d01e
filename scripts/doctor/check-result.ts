/** Outcome of one doctor check. */
export type CheckStatus = "pass" | "fail" | "skip";

/** One line of the doctor's report. */
export interface CheckResult {
  /** The check's name, also what `--skip` takes (e.g. `sip-options`). */
  check: string;
  status: CheckStatus;
  /** What was observed, in one line. Never a secret. */
  detail: string;
  /** For a failure: what to do about it. */
  fix?: string;
}

/** What a check reports, before the runner adds its name. */
export type CheckOutcome = Omit<CheckResult, "check">;

/** One check the doctor runs against a live environment. */
export interface DoctorCheck {
  /** Short kebab-case name. */
  name: string;
  /** Runs the check; a thrown error is reported as a failure of the check. */
  run(): Promise<CheckOutcome>;
}

/** A passing outcome. */
export function pass(detail: string): CheckOutcome {
  return { status: "pass", detail };
}

/** A failing outcome with its fix. */
export function fail(detail: string, fix: string): CheckOutcome {
  return { status: "fail", detail, fix };
}
