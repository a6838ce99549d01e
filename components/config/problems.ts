/** One thing wrong with a stack's config, phrased so the operator can fix it without reading code. */
export interface ConfigProblem {
  /** Fully qualified config key, e.g. `agent-studio-voice:diskSizeGb`. */
  key: string;
  /** What was found: the value (quoted), `(not set)`, or `[secret]` for secret keys. */
  found: string;
  /** What a valid value looks like. */
  expected: string;
  /** The command that fixes it. */
  fix: string;
}

/** One line per problem: key, value, expectation and fix command. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.key} = ${problem.found}: expected ${problem.expected}. Fix: ${problem.fix}`;
}

/** The whole report, all problems at once. */
export function formatProblems(stack: string, problems: readonly ConfigProblem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  return [`Stack "${stack}" config has ${problems.length} ${noun}:`, ...problems.map((p) => `  - ${formatProblem(p)}`)].join(
    "\n",
  );
}
