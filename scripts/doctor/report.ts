import type { CheckResult } from "./check-result";

const labels = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const;

/** A result's name in the report: the check's, preceded by its node's with several nodes (`node-1 sip-options`). */
export function resultName(result: CheckResult): string {
  return result.node === undefined ? result.check : `node-${result.node} ${result.check}`;
}

/**
 * The doctor's report: a table of check, result and detail, then one fix per failed check.
 * Pure text, no colour, so it reads the same in a terminal, a CI log or a ticket.
 */
export function formatReport(results: readonly CheckResult[]): string {
  const rows = [["check", "result", "detail"], ...results.map((r) => [resultName(r), labels[r.status], r.detail])];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`);
  const failed = results.filter((r) => r.status === "fail");
  const passed = results.filter((r) => r.status === "pass").length;
  lines.push("");
  if (failed.length === 0) {
    lines.push(`All ${passed} checks passed${results.length > passed ? ` (${results.length - passed} skipped)` : ""}.`);
  } else {
    lines.push(`${failed.length} of ${results.length} checks failed. How to fix:`);
    for (const result of failed) lines.push(`  ${resultName(result)}: ${result.fix ?? "see the detail above."}`);
  }
  return lines.join("\n");
}

/** The doctor's exit code: 1 when any check failed, else 0. */
export function exitCodeOf(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === "fail") ? 1 : 0;
}
