/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is `tsc --noEmit`'s job; ts-jest only transpiles so the suite stays quick.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  // One test file at a time (the real-server tiers want the machine's 2 cores), in a worker that is
  // replaced after a file whose heap it still holds: each file loads @pulumi/gcp and the mocks
  // afresh and never gives them back, so one process running every file grew to ~20 GB. Jest judges
  // the limit by the heap alone, while most of what a file leaves is outside it (the worker's
  // resident memory passed 11 GB with a 1.5 GB limit), so the limit is low enough to replace the
  // worker after almost every file.
  maxWorkers: 1,
  workerIdleMemoryLimit: "200MB",
};
