import { defineAgent } from "@livekit/agents";
import { runOutboundCall } from "./outbound-call.ts";
import { prewarmJobProcess } from "./prewarm.ts";

/** The agent each job process loads: every job is one outbound call, prepared while the process waits. */
export default defineAgent({ entry: runOutboundCall, prewarm: () => prewarmJobProcess() });
