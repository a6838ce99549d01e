import { defineAgent } from "@livekit/agents";
import { runOutboundCall } from "./outbound-call.ts";

/** The agent each job process loads: every job is one outbound call. */
export default defineAgent({ entry: runOutboundCall });
