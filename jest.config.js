/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is `tsc --noEmit`'s job; ts-jest only transpiles so the suite stays quick.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  // One test file at a time (the real-server tiers want the machine's 2 cores), in a worker that is
  // replaced once it holds more than this after a file: each file loads @pulumi/gcp and the mocks
  // afresh and never gives them back, so one process running every file grew to ~20 GB.
  maxWorkers: 1,
  workerIdleMemoryLimit: "1500MB",
};
