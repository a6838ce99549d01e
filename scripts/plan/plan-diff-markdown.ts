import type { EnvVariableChanges } from "./env-file-changes";
import type { HiddenReason, HostFileChange, PlanSide } from "./host-file-diff";

/** What the Markdown says about where the two plans come from. */
export interface PlanDiffLabels {
  /** Stack planned, shown in the heading when given. */
  stack?: string;
  /** What the base plan is, e.g. "base branch". */
  base: string;
  /** What the head plan is, e.g. "this pull request". */
  head: string;
}

/**
 * Longest Markdown a report may be. GitHub refuses comments over 65,536 characters; the rest of
 * the room is left for the comment's marker and headers.
 */
export const defaultMaxReportLength = 60_000;

const code = (text: string): string => `\`${text}\``;

function heading(labels: PlanDiffLabels): string {
  return `### Host files${labels.stack === undefined ? "" : ` of ${code(labels.stack)}`}: ${labels.base} → ${labels.head}`;
}

/** A fence longer than any run of backticks in `body`, so the body cannot close it. */
function fenced(info: string, body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

function reasonText(side: PlanSide, reason: HiddenReason, labels: PlanDiffLabels): string {
  return reason === "secret"
    ? `the ${side} version (${labels[side]}) holds secrets`
    : `the ${side} plan (${labels[side]}) has no host-files.json, so its files may hold secrets`;
}

function variableText(variables: EnvVariableChanges, status: HostFileChange["status"]): string {
  const names = (list: string[]): string => list.map(code).join(", ");
  if (status === "added") return variables.added.length > 0 ? `Sets ${names(variables.added)}.` : "";
  if (status === "removed") return variables.removed.length > 0 ? `Set ${names(variables.removed)}.` : "";
  const parts = [
    variables.changed.length > 0 && `changed ${names(variables.changed)}`,
    variables.added.length > 0 && `added ${names(variables.added)}`,
    variables.removed.length > 0 && `removed ${names(variables.removed)}`,
    variables.commentsChanged && "comments changed",
  ].filter((part): part is string => part !== false);
  return parts.length > 0 ? `Variables: ${parts.join("; ")}.` : "";
}

function section(change: HostFileChange, labels: PlanDiffLabels, full: boolean): string {
  const { body } = change;
  const secret = body.show === "secret";
  const title = `#### ${code(change.file)}: ${change.status}${secret ? " (holds secrets; content not shown)" : ""}`;
  const lines = [title];
  const notes: string[] = [];
  if (change.hostPath !== undefined) notes.push(`On the host: ${code(change.hostPath)}.`);
  if (body.show === "lines" && body.hidden !== undefined) {
    notes.push(`Lines only in the ${body.hidden.side} version are not shown: ${reasonText(body.hidden.side, body.hidden.reason, labels)}.`);
  }
  if (body.show === "secret" && body.variables !== undefined) {
    const text = variableText(body.variables, change.status);
    if (text !== "") notes.push(text);
  }
  if (notes.length > 0) lines.push(notes.join(" "));
  if (body.show === "lines") {
    lines.push(full ? fenced("diff", body.lines.join("\n")) : "_Diff left out: the report would be too long for a comment. Run the plan diff locally to see it._");
  }
  return lines.join("\n\n");
}

function summary(changes: readonly HostFileChange[]): string {
  const count = (status: HostFileChange["status"]): number => changes.filter((c) => c.status === status).length;
  return `${count("changed")} changed, ${count("added")} added, ${count("removed")} removed. Files that hold secrets show at most the names of the variables that changed, never a value.`;
}

/**
 * The plan diff as Markdown for a pull request comment: a heading, a one-line summary, then one
 * section per changed file (a `diff` block, or for secret-bearing files only the variable names).
 * Past `maxLength`, the remaining files are listed without their diff.
 */
export function renderPlanDiff(changes: readonly HostFileChange[], labels: PlanDiffLabels, maxLength = defaultMaxReportLength): string {
  if (changes.length === 0) {
    return `${heading(labels)}\n\nNo host file differs: the deployment would install the same files.\n`;
  }
  let report = `${heading(labels)}\n\n${summary(changes)}\n`;
  for (const change of changes) {
    const full = `\n${section(change, labels, true)}\n`;
    report += report.length + full.length <= maxLength ? full : `\n${section(change, labels, false)}\n`;
  }
  return report;
}

/** The report when the base plan could not be made: what happened and where to look. */
export function renderBaseFailed(labels: PlanDiffLabels): string {
  return (
    `${heading(labels)}\n\nThe offline plan of the ${labels.base} failed, so there is nothing to compare this plan with; ` +
    "its error is in this job's log. A stack that is new in this pull request has no plan on the base branch.\n"
  );
}
