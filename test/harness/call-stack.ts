/**
 * The local stack a call goes through, for the end-to-end tests and the benchmark: Redis,
 * livekit-server and livekit-sip (the project's rendered configs), sipp as the carrier, the
 * outbound trunk to it (and, when asked, the inbound trunk and dispatch rule) created by the
 * project's own providers as `pulumi up` creates them, and real workers started on demand.
 */
import type { DefinedProvider } from "../../providers/base";
import { dispatchRuleProvider, inboundTrunkProvider, outboundTrunkProvider } from "../../providers/livekit";
import type { DispatchRuleInputs, InboundTrunkInputs, OutboundTrunkInputs } from "../../providers/livekit";
import { type Carrier, type CarrierOptions, startCarrier } from "./carrier";
import { configureLivekitProviders } from "./livekit-providers";
import type { LivekitServer } from "./livekit-server";
import { type StackOptions, type VoiceStack, startVoiceStack } from "./voice-stack";
import { type AgentWorker, buildWorkerIfStale, startWorker, type WorkerOptions } from "./worker";

/** The digest username the carrier accepts and the outbound trunk holds (loopback only). */
export const carrierUser = "local-carrier";

/** The digest password the carrier accepts and the outbound trunk holds. */
export const carrierPassword = "Carrier-Passw0rd-local";

/** The stack's own number: the outbound trunk's caller ID and the number the inbound trunk takes calls to. */
export const stackNumber = "+15550100001";

/** The carrier's signaling address: the one source the inbound trunk allows. */
export const carrierSignalingAddress = "127.0.0.2";

/** What to start besides the voice stack. */
export interface CallStackOptions extends StackOptions {
  /** The agent name workers register under and the dispatch rule dispatches. */
  agentName: string;
  /** How the carrier holds and answers calls. */
  carrier?: Pick<CarrierOptions, "holdMs" | "maxCalls" | "rtpPort">;
  /**
   * An inbound trunk taking calls to {@link stackNumber} from {@link carrierSignalingAddress}, and
   * a dispatch rule giving each a room `call-…` with the agent. None when absent.
   */
  inbound?: Pick<InboundTrunkInputs, "ringingTimeoutSeconds">;
}

/** The running call stack. */
export interface CallStack extends VoiceStack {
  /** sipp as the carrier. */
  carrier: Carrier;
  /** The outbound trunk to the carrier, as created. */
  outboundTrunk: { id: string; outs: OutboundTrunkInputs };
  /** The outbound trunk's inputs with `authPassword` for the carrier, for a second `pulumi up`. */
  outboundTrunkInputs(authPassword: string): OutboundTrunkInputs;
  /** The inbound trunk and dispatch rule, when {@link CallStackOptions.inbound} asked for them. */
  inbound: { trunkId: string; ruleId: string } | undefined;
  /**
   * Starts a worker dialing through the outbound trunk as the stack's agent; the stack prints its
   * log on a failure and stops it.
   */
  startWorker(options?: Pick<WorkerOptions, "name" | "maxConcurrentCalls" | "ringingTimeoutSeconds" | "callsPerProcess" | "crashCallFrom">): Promise<AgentWorker>;
}

/** `check` then `create`, as the engine runs them for a new resource. */
async function createChecked<I extends object>(provider: DefinedProvider<I, I>, inputs: I, what: string): Promise<{ id: string; outs: I }> {
  const checked = await provider.check({} as I, inputs);
  if (checked.failures && checked.failures.length > 0) {
    throw new Error(`the call stack's ${what} inputs are invalid: ${JSON.stringify(checked.failures)}`);
  }
  return provider.create(checked.inputs as I);
}

/** The outbound trunk to the carrier at `address`, on the livekit-server at `url`, as the stack declares it. */
export function carrierTrunkInputs(url: string, address: string, authPassword = carrierPassword): OutboundTrunkInputs {
  return { url, name: "carrier", address, numbers: [stackNumber], transport: "udp", authUsername: carrierUser, authPassword, headers: {} };
}

/** Creates the outbound trunk to the carrier at `address` on `livekit` through the project's provider, configured first, as `pulumi up` does. */
export async function createCarrierTrunk(livekit: Pick<LivekitServer, "url" | "apiKey" | "apiSecret">, address: string): Promise<{ id: string; outs: OutboundTrunkInputs }> {
  await configureLivekitProviders(livekit);
  return createChecked(outboundTrunkProvider, carrierTrunkInputs(livekit.url, address), "outbound trunk");
}

/**
 * Builds the worker if stale, starts the voice stack and the carrier, and creates the trunks (and
 * rule) through the project's providers. Call `stop()` in `afterAll`.
 */
export async function startCallStack(options: CallStackOptions): Promise<CallStack> {
  const { agentName, carrier: carrierOptions, inbound, ...stackOptions } = options;
  buildWorkerIfStale();
  const stack = await startVoiceStack(stackOptions);
  try {
    return await stack.withLogs(async () => {
      const { url } = stack.livekit;
      const carrier = stack.track(
        await startCarrier({ ...carrierOptions, logDir: stack.logDir, username: carrierUser, password: carrierPassword }),
      );
      const outboundTrunkInputs = (authPassword: string) => carrierTrunkInputs(url, carrier.address, authPassword);
      const outboundTrunk = await createCarrierTrunk(stack.livekit, carrier.address);
      let inboundIds: CallStack["inbound"];
      if (inbound) {
        const trunk: InboundTrunkInputs = {
          url,
          name: "inbound",
          numbers: [stackNumber],
          allowedAddresses: [`${carrierSignalingAddress}/32`],
          ...(inbound.ringingTimeoutSeconds !== undefined && { ringingTimeoutSeconds: inbound.ringingTimeoutSeconds }),
        };
        const trunkId = (await createChecked(inboundTrunkProvider, trunk, "inbound trunk")).id;
        const rule: DispatchRuleInputs = { url, name: "inbound-calls", trunkIds: [trunkId], roomPrefix: "call-", agentName };
        inboundIds = { trunkId, ruleId: (await createChecked(dispatchRuleProvider, rule, "dispatch rule")).id };
      }
      return {
        ...stack,
        carrier,
        outboundTrunk,
        outboundTrunkInputs,
        inbound: inboundIds,
        startWorker: async (workerOptions = {}) =>
          stack.track(
            await startWorker({ ...workerOptions, livekit: stack.livekit, sipOutboundTrunkId: outboundTrunk.id, agentName, logDir: stack.logDir }),
          ),
      };
    });
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
