import { formatPatch, OMIT_HEADERS, structuredPatch } from "diff";
import { envVariableChanges, type EnvVariableChanges } from "./env-file-changes";
import type { PlanOutput, PlannedHostFile } from "./read-plan-output";

/** Which plan a file version comes from. */
export type PlanSide = "base" | "head";

/** Why a version's lines are not shown. */
export type HiddenReason =
  /** The plan's manifest says the file holds secrets. */
  | "secret"
  /** The plan has no manifest, so any of its files may hold secrets. */
  | "no-manifest";

/** How one file's change may be shown without showing a secret. */
export type ChangeBody =
  /**
   * A unified diff (hunk headers and lines). Lines only in a version that may hold secrets are
   * replaced by one marker line per run; every other line comes from a version that holds none.
   */
  | { show: "lines"; lines: string[]; hidden?: { side: PlanSide; reason: HiddenReason } }
  /** Both versions may hold secrets: only which variables changed, when the file is an env file. */
  | { show: "secret"; reasons: Record<PlanSide, HiddenReason | undefined>; variables?: EnvVariableChanges };

/** One host file that differs between two plans. */
export interface HostFileChange {
  /** File name in the plans' output directories. */
  file: string;
  /** Path on the host, when a manifest gives it. */
  hostPath?: string;
  /** Whether the file is new in head, gone from base, or in both with other content. */
  status: "added" | "removed" | "changed";
  /** What may be shown of it. */
  body: ChangeBody;
}

/** Lines of context around each change, as in `git diff`. */
const contextLines = 3;

function hiddenReason(file: PlannedHostFile | undefined, plan: PlanOutput): HiddenReason | undefined {
  if (file === undefined || !file.secret) return undefined;
  return plan.hasManifest ? "secret" : "no-manifest";
}

/** The marker that stands for `count` lines of a version not shown. */
export function hiddenLinesMarker(side: PlanSide, count: number): string {
  return `${side === "base" ? "-" : "+"} [${count} line${count === 1 ? "" : "s"} of the ${side} version not shown]`;
}

function maskLines(lines: readonly string[], hide: PlanSide | undefined): string[] {
  if (hide === undefined) return [...lines];
  const hiddenPrefix = hide === "base" ? "-" : "+";
  const out: string[] = [];
  let hidden = 0;
  let previousHidden = false;
  const flush = (): void => {
    if (hidden > 0) out.push(hiddenLinesMarker(hide, hidden));
    hidden = 0;
  };
  for (const line of lines) {
    if (line.startsWith(hiddenPrefix)) {
      hidden += 1;
      previousHidden = true;
      continue;
    }
    // "\ No newline at end of file" belongs to the line before it.
    if (line.startsWith("\\") && previousHidden) continue;
    flush();
    previousHidden = false;
    out.push(line);
  }
  flush();
  return out;
}

function unifiedLines(before: string, after: string, hide: PlanSide | undefined): string[] {
  const patch = structuredPatch("base", "head", before, after, undefined, undefined, { context: contextLines });
  const masked = { ...patch, hunks: patch.hunks.map((hunk) => ({ ...hunk, lines: maskLines(hunk.lines, hide) })) };
  // jsdiff writes the hunk headers (with unified diff's quirks for empty ranges); the hunks'
  // counts stay those of the real files, hidden lines included.
  const text = formatPatch(masked, OMIT_HEADERS);
  return text.slice(0, text.endsWith("\n") ? -1 : undefined).split("\n");
}

/**
 * The host files that differ between a base plan and a head plan, sorted by name, each with what
 * may be shown of it. A line is shown only when it is in a version that holds no secret (by its
 * plan's manifest); a version from a plan without a manifest counts as secret-bearing. So a
 * change from an old base to a plain head file shows the head's lines and hides the base's
 * removed ones: every line shown is text of a file the head plan declares plain.
 */
export function diffPlans(base: PlanOutput, head: PlanOutput): HostFileChange[] {
  const names = [...new Set([...base.files.keys(), ...head.files.keys()])].sort();
  const changes: HostFileChange[] = [];
  for (const file of names) {
    const before = base.files.get(file);
    const after = head.files.get(file);
    if (before !== undefined && after !== undefined && before.content === after.content) continue;
    const status = before === undefined ? "added" : after === undefined ? "removed" : "changed";
    const reasons = { base: hiddenReason(before, base), head: hiddenReason(after, head) };
    const baseShown = before !== undefined && reasons.base === undefined;
    const headShown = after !== undefined && reasons.head === undefined;
    let body: ChangeBody;
    if (baseShown || headShown) {
      const hide: PlanSide | undefined = reasons.base !== undefined ? "base" : reasons.head !== undefined ? "head" : undefined;
      body = {
        show: "lines",
        lines: unifiedLines(before?.content ?? "", after?.content ?? "", hide),
        ...(hide !== undefined && { hidden: { side: hide, reason: reasons[hide]! } }),
      };
    } else {
      body = { show: "secret", reasons, variables: envVariableChanges(before?.content, after?.content) };
    }
    const hostPath = after?.hostPath ?? before?.hostPath;
    changes.push({ file, ...(hostPath !== undefined && { hostPath }), status, body });
  }
  return changes;
}
