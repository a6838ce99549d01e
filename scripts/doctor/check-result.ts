/** Outcome of one doctor check. */
export type CheckStatus = "pass" | "fail" | "skip";

/** One line of the doctor's report. */
export interface CheckResult {
  /** The check's name, also what `--skip` takes (e.g. `sip-options`). */
  check: string;
  /** With several nodes, the node a per-host check probed; the report names it (`node-1 sip-options`). */
  node?: number;
  status: CheckStatus;
  /** What was observed, in one line. Never a secret. */
  detail: string;
  /** For a failure: what to do about it. */
  fix?: string;
}

/** What a check reports, before the runner adds its name and node. */
export type CheckOutcome = Omit<CheckResult, "check" | "node">;

/** One check the doctor runs against a live environment. */
export interface DoctorCheck {
  /** Short kebab-case name. */
  name: string;
  /** With several nodes, the node a per-host check probes; unset for checks of the whole stack. */
  node?: number;
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
