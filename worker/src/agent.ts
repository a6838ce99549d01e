import { defineAgent } from "@livekit/agents";
import { runCallJob } from "./call-job.ts";
import { prewarmJobProcess } from "./prewarm.ts";

/** The agent each job process loads: every job is one call, outbound or inbound, prepared while the process waits. */
export default defineAgent({ entry: runCallJob, prewarm: () => prewarmJobProcess() });
