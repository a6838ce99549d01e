import { randomBytes } from "node:crypto";
import { AgentDispatchClient, RoomServiceClient, type SIPDispatchRuleInfo, type SIPInboundTrunkInfo } from "livekit-server-sdk";
import { sipClient } from "../../providers/livekit/livekit-api";
import { type CheckOutcome, type DoctorCheck, fail, pass } from "./check-result";
import { inspectServiceCommand, workerServices } from "./host-commands";
import { agentsOf, ruleFor, trunkFor, type TrunkVerdict } from "./inbound-route";
import { failureReason, type LiveKitAccess } from "./livekit-api";
import { restoreFromStateFix } from "./restore-from-state";

/** What LiveKit holds for inbound calls: its inbound trunks and dispatch rules. */
interface InboundSetup {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
}

/** How long the worker probe waits for a worker to accept its job: registered workers answer within a second. */
const WORKER_PROBE_TIMEOUT_MS = 10_000;

/** What the project's worker reads as a probe, no call to place or answer (worker/src/job-request.ts). */
const PROBE_METADATA = JSON.stringify({ probe: "doctor" });

/** The three inbound checks' shared view of LiveKit, listed once on first use. */
function inboundSetup(access: LiveKitAccess): () => Promise<InboundSetup> {
  let listing: Promise<InboundSetup> | undefined;
  return () =>
    (listing ??= (async () => {
      const client = sipClient(access.url, access);
      const [trunks, rules] = await Promise.all([client.listSipInboundTrunk(), client.listSipDispatchRule()]);
      return { trunks, rules };
    })());
}

/** What a call to a number would get: its trunk, the rule LiveKit would pick, that rule's agents. */
interface Route {
  verdict: TrunkVerdict;
  rule?: SIPDispatchRuleInfo;
  agents: string[];
}

/** The route of a call to `number`, from LiveKit's trunks and rules. */
async function routeOf(setup: () => Promise<InboundSetup>, number: string, carrierCidrs: readonly string[]): Promise<Route> {
  const { trunks, rules } = await setup();
  const verdict = trunkFor(number, trunks, carrierCidrs);
  const rule = verdict.trunk === undefined ? undefined : ruleFor(number, verdict.trunk.sipTrunkId, rules);
  return { verdict, rule, agents: rule === undefined ? [] : agentsOf(rule) };
}

/**
 * The three lines of the inbound call to `number`: `inbound-trunk` (a LiveKit inbound trunk lists
 * the number and admits the carrier's signaling ranges), `inbound-dispatch` (the dispatch rule
 * LiveKit would pick for the call names an agent) and `inbound-worker` (a worker registered as that
 * agent accepts a job).
 */
export function inboundCallChecks(access: LiveKitAccess, number: string, carrierCidrs: readonly string[]): DoctorCheck[] {
  const setup = inboundSetup(access);
  /** A check judging the route; listing LiveKit's trunks and rules failing fails it. */
  const routeCheck = (name: string, judge: (route: Route) => CheckOutcome | Promise<CheckOutcome>): DoctorCheck => ({
    name,
    async run(): Promise<CheckOutcome> {
      let route: Route;
      try {
        route = await routeOf(setup, number, carrierCidrs);
      } catch (error) {
        return fail(`could not list LiveKit's inbound trunks and dispatch rules: ${failureReason(error)}`, "See the livekit-api line.");
      }
      return judge(route);
    },
  });

  const trunkCheck = routeCheck("inbound-trunk", (route) => {
    const { trunk, others, uncovered } = route.verdict;
    if (trunk === undefined) return fail(`no inbound trunk lists ${number}: calls to it are refused`, restoreFromStateFix);
    const label = `${trunk.sipTrunkId} "${trunk.name}"`;
    if (uncovered.length > 0) {
      return fail(
        `${label} lists ${number} but refuses the carrier's ${uncovered.join(", ")} (it allows ${trunk.allowedAddresses.join(", ") || "no address"})`,
        "`pulumi up` sets the trunk's allowed addresses to carrierSignalingCidrs; if the carrier's ranges changed, update that key first.",
      );
    }
    const extra = others > 0 ? ` (${others} more trunk${others === 1 ? "" : "s"} list it too)` : "";
    return pass(`${label} takes calls to ${number} from the carrier's ${carrierCidrs.length} signaling range${carrierCidrs.length === 1 ? "" : "s"}${extra}`);
  });

  const dispatchCheck = routeCheck("inbound-dispatch", (route) => {
    if (route.verdict.trunk === undefined) return fail(`no inbound trunk lists ${number}, so no rule can take its calls`, "See the inbound-trunk line.");
    const { rule, agents } = route;
    if (rule === undefined) {
      return fail(`no dispatch rule takes every call to ${number} on trunk ${route.verdict.trunk.sipTrunkId}: LiveKit refuses them`, restoreFromStateFix);
    }
    const label = `${rule.sipDispatchRuleId} "${rule.name}"`;
    if (agents.length === 0) {
      return fail(`${label} takes calls to ${number} but dispatches no agent: the caller would wait in an empty room`, "`pulumi up` restores the rule's agent (agentName, or agentsByNumber for this number).");
    }
    return pass(`${label} gives each call to ${number} a room with agent ${agents.join(", ")}`);
  });

  const workerCheck = routeCheck("inbound-worker", (route) =>
    route.agents.length === 0
      ? fail(`no dispatch rule names an agent for calls to ${number}`, "See the inbound-dispatch line.")
      : probeWorker(access, route.agents[0]),
  );

  return [trunkCheck, dispatchCheck, workerCheck];
}

/**
 * Whether a worker registered as `agentName` takes jobs. livekit-server has no API that lists
 * workers, and the worker's health endpoint listens on the host's loopback only, which the doctor
 * (run from anywhere with the API keys) cannot reach. So it asks livekit-server itself: an
 * explicit dispatch of `agentName` into a throwaway room, as a call's room gets, lists a job once
 * a registered worker accepted it. The dispatch's metadata marks it as a probe, which the
 * project's worker ends at once (logged as `job.probe`, not counted as a call) by deleting the
 * room; a room gone before livekit-server's empty-room timeout (120 s, far beyond the probe) was
 * closed by that job, so it counts as accepted too. The doctor deletes the room in any case.
 */
export async function probeWorker(access: LiveKitAccess, agentName: string): Promise<CheckOutcome> {
  const room = `doctor-probe-${randomBytes(4).toString("hex")}`;
  const rooms = new RoomServiceClient(access.url, access.apiKey, access.apiSecret, { requestTimeout: 10 });
  const dispatches = new AgentDispatchClient(access.url, access.apiKey, access.apiSecret, { requestTimeout: 10 });
  const workerFix = `Start the worker and check its AGENT_NAME is ${agentName}: \`pulumi up\` deploys it; on the host (over SSH): ${inspectServiceCommand(...workerServices)}`;
  /** The job a worker accepted, `closed` when its room is already gone, or undefined while none has. */
  const acceptedJob = async (dispatchId: string) => {
    if ((await rooms.listRooms([room])).length === 0) return "closed" as const;
    return (await dispatches.getDispatch(dispatchId, room).catch(() => undefined))?.state?.jobs[0];
  };
  try {
    const dispatch = await dispatches.createDispatch(room, agentName, { metadata: PROBE_METADATA });
    const deadline = Date.now() + WORKER_PROBE_TIMEOUT_MS;
    for (;;) {
      const job = await acceptedJob(dispatch.id);
      if (job === "closed") return pass(`a worker registered as ${agentName} took a job (and closed its probe room)`);
      if (job !== undefined) {
        const worker = job.state?.workerId ? ` (worker ${job.state.workerId})` : "";
        return pass(`a worker registered as ${agentName} accepted a job${worker}`);
      }
      if (Date.now() >= deadline) {
        return fail(`no worker registered as ${agentName} accepted a job within ${WORKER_PROBE_TIMEOUT_MS / 1000} s: inbound calls would get no agent`, workerFix);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    return fail(`could not dispatch ${agentName} into a probe room: ${failureReason(error)}`, "See the livekit-api line.");
  } finally {
    await rooms.deleteRoom(room).catch(() => undefined);
  }
}
