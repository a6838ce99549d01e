import { sipClient } from "../../providers/livekit/livekit-api";
import { type CheckOutcome, type DoctorCheck, fail, pass } from "./check-result";
import { failureReason, type LiveKitAccess } from "./livekit-api";
import { restoreFromStateFix } from "./restore-from-state";

/** A SIP address without its port (`host:5060` → `host`), lower-cased. */
function hostOf(address: string): string {
  return address.replace(/:\d+$/, "").toLowerCase();
}

/** LiveKit has an outbound trunk pointing at the Twilio trunk's termination domain. */
export function outboundTrunkCheck(access: LiveKitAccess, trunkDomain: string): DoctorCheck {
  return {
    name: "outbound-trunk",
    async run(): Promise<CheckOutcome> {
      let trunks;
      try {
        trunks = await sipClient(access.url, access).listSipOutboundTrunk();
      } catch (error) {
        return fail(`could not list LiveKit's outbound trunks: ${failureReason(error)}`, "See the livekit-api line.");
      }
      const matching = trunks.filter((t) => hostOf(t.address) === trunkDomain.toLowerCase());
      if (matching.length === 0) {
        const found = trunks.length === 0 ? "none exists" : `found only ${trunks.map((t) => `${t.sipTrunkId} → ${t.address}`).join(", ")}`;
        return fail(`no outbound trunk points at ${trunkDomain} (${found}): the worker's calls fail`, restoreFromStateFix);
      }
      const trunk = matching[0];
      const auth = trunk.authUsername ? `, authenticating as ${trunk.authUsername}` : ", without credentials";
      const extra = matching.length > 1 ? ` (and ${matching.length - 1} more)` : "";
      return pass(`${trunk.sipTrunkId} "${trunk.name}" → ${trunk.address}${auth}${extra}`);
    },
  };
}
