/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is `tsc --noEmit`'s job; ts-jest only transpiles so the suite stays quick.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
};
