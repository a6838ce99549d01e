import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadJobLifecycle, loadJobProcExecutor } from "../../src/agents-internals.ts";

// The call groups reach past LiveKit Agents' public API; an upgrade that moves what they use fails here.
describe("the LiveKit Agents internals the call groups use", () => {
  it("are where the pinned release has them", async () => {
    const lifecycle = await loadJobLifecycle();
    for (const name of ["validateSessionEndTimeout", "waitForEntrypointShutdown", "finalizeSession", "runShutdownCallbacks"] as const) {
      assert.equal(typeof lifecycle[name], "function", name);
    }
    const executor = await loadJobProcExecutor();
    assert.equal(typeof executor.prototype.createProcess, "function");
  });
});
