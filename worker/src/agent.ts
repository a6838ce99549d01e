import { defineAgent } from "@livekit/agents";
import { runCallJob } from "./call-job.ts";
import { prewarmJobSlot } from "./prewarm.ts";

/** The agent every call group process runs: each job is one call, outbound or inbound, its slot prepared while it waits. */
export default defineAgent({ entry: runCallJob, prewarm: (proc) => prewarmJobSlot(proc) });
