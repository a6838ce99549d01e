import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JOB_PROCESS_V8_FLAGS, LOOP_MONITOR_ENV, jobProcessExecArgv, loopMonitorSetting } from "../../src/job-process-runtime.ts";

describe("loopMonitorSetting", () => {
  it("turns LiveKit Agents' event-loop monitor off unless the environment sets a threshold", () => {
    assert.equal(loopMonitorSetting({}), "0");
    assert.equal(loopMonitorSetting({ [LOOP_MONITOR_ENV]: " " }), "0");
    assert.equal(loopMonitorSetting({ [LOOP_MONITOR_ENV]: "250" }), "250");
  });
});

describe("jobProcessExecArgv", () => {
  it("adds the job processes' V8 flags after the worker's own", () => {
    assert.deepEqual(jobProcessExecArgv([]), [...JOB_PROCESS_V8_FLAGS]);
    assert.deepEqual(jobProcessExecArgv(["--enable-source-maps"]), ["--enable-source-maps", ...JOB_PROCESS_V8_FLAGS]);
  });

  it("keeps a flag the worker was started with instead of overriding it", () => {
    assert.deepEqual(jobProcessExecArgv(["--max-semi-space-size=8"]), ["--max-semi-space-size=8"]);
  });
});
