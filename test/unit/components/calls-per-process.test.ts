import { DEFAULT_CALLS_PER_PROCESS, MAX_CALLS_PER_PROCESS } from "../../../worker/src/call-group-plan";
import { callsPerProcessLimit, defaultCallsPerProcess } from "../../../components/call-limits";
import { formatProblem, validateStackConfig } from "../../../components/config";
import { stackConfig } from "../../utils/offline-program";

const key = "agent-studio-voice:callsPerProcess";

describe("calls per worker process (callsPerProcess)", () => {
  it("defaults to the worker's own default, 8", () => {
    const result = validateStackConfig(stackConfig("prod"), "prod");
    expect(result.ok && result.config.callsPerProcess).toBe(8);
    expect(defaultCallsPerProcess).toBe(DEFAULT_CALLS_PER_PROCESS);
  });

  it("takes exactly the range the worker accepts for CALLS_PER_PROCESS, so a valid stack never starts a worker that refuses its env", () => {
    expect(callsPerProcessLimit).toBe(MAX_CALLS_PER_PROCESS);
    for (const value of ["1", "64"]) {
      const result = validateStackConfig(stackConfig("prod", { [key]: value }), "prod");
      expect(result.ok && result.config.callsPerProcess).toBe(Number(value));
    }
  });

  it.each(["0", "65", "eight", "2.5", "-1"])("refuses %s with the range and a fix that sets the default", (value) => {
    const result = validateStackConfig(stackConfig("prod", { [key]: value }), "prod");
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      `${key} = ${JSON.stringify(value)}: expected the calls one worker process runs at once, a whole number from 1 to 64 (fewer: a crash ends fewer calls; more: less CPU and memory per call; 1 is a process per call). Fix: pulumi config set ${key} 8 --stack prod`,
    ]);
  });
});
