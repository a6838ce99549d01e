import * as pulumi from "@pulumi/pulumi";
import {
  checkDispatchRule,
  checkInboundTrunk,
  checkOutboundTrunk,
  LiveKitSipDispatchRule,
  LiveKitSipInboundTrunk,
  LiveKitSipOutboundTrunk,
  type DispatchRuleInputs,
  type InboundTrunkInputs,
  type OutboundTrunkInputs,
  type SipMediaEncryptionName,
  type SipTransportName,
} from "../../providers/livekit";
import { plainOrUnknown } from "./plain-inputs";

/** The outbound trunk: how livekit-sip reaches the carrier to place calls. */
export interface LiveKitOutboundTrunkArgs {
  /** The carrier host calls are sent to: the Twilio trunk's termination domain `<trunk>.pstn.twilio.com`, no `sip:`. Required. */
  address: pulumi.Input<string>;
  /** E.164 numbers calls are placed from (the Twilio trunk's numbers). Required. */
  numbers: pulumi.Input<pulumi.Input<string>[]>;
  /** Digest username of the Twilio trunk's credential list. Required. */
  authUsername: pulumi.Input<string>;
  /** Digest password of that credential; kept secret even if given in clear. Required. */
  authPassword: pulumi.Input<string>;
  /** Transport to the carrier: `auto`, `udp`, `tcp` or `tls`. Defaults to `auto`. */
  transport?: pulumi.Input<SipTransportName>;
  /** Custom `X-*` SIP headers sent with every INVITE. Defaults to none. */
  headers?: pulumi.Input<Record<string, string>>;
  /** ISO 3166-1 alpha-2 country the calls terminate in (LiveKit region pinning). Defaults to unset. */
  destinationCountry?: pulumi.Input<string>;
  /** SRTP on outbound calls: `disable`, `allow` or `require`. Defaults to unset (clear RTP). */
  mediaEncryption?: SipMediaEncryptionName;
}

/** The inbound trunk: which calls from the carrier livekit-sip accepts. */
export interface LiveKitInboundTrunkArgs {
  /** E.164 numbers callers dial (the Twilio trunk's numbers). Required. */
  numbers: pulumi.Input<pulumi.Input<string>[]>;
  /** IP addresses or CIDRs calls may come from: the carrier's signaling ranges. Required unless auth is set. Defaults to none. */
  allowedAddresses?: pulumi.Input<pulumi.Input<string>[]>;
  /** Digest username the carrier must authenticate with. Defaults to none (source addresses only). */
  authUsername?: pulumi.Input<string>;
  /** Digest password the carrier must authenticate with; kept secret. Defaults to none. */
  authPassword?: pulumi.Input<string>;
  /** Longest call in seconds; livekit-sip hangs up then. Defaults to none (livekit-sip's 24 hours). */
  maxCallDurationSeconds?: pulumi.Input<number>;
  /** SRTP on inbound calls: `require` refuses a call offering clear RTP only. Defaults to unset (clear RTP). */
  mediaEncryption?: SipMediaEncryptionName;
}

/** The dispatch rules for incoming calls. */
export interface LiveKitDispatchArgs {
  /** `agent_name` of the worker dispatched into the room of each call to a number not in `agentsByNumber`. Required. */
  agentName: pulumi.Input<string>;
  /**
   * Agents for calls to particular numbers: E.164 number (one of the inbound trunk's) → `agent_name`.
   * Each entry is a rule of its own for that number, which LiveKit prefers over the every-number rule.
   * Defaults to none: every number reaches `agentName`.
   */
  agentsByNumber?: Record<string, pulumi.Input<string>>;
  /** Prefix of the room created for each call. Defaults to `call-`. */
  roomPrefix?: pulumi.Input<string>;
}

/** Arguments of {@link LiveKitSipTrunks}. */
export interface LiveKitSipTrunksArgs {
  /**
   * LiveKit API URL through the host's TLS endpoint, `https://<domain>` (plain http only to
   * loopback). The API key and secret are not arguments: the providers read the stack config
   * `livekitApiKey` / `livekitApiSecret` in their `configure` step. Required.
   */
  url: pulumi.Input<string>;
  /** Outbound trunk settings. Required. */
  outbound: LiveKitOutboundTrunkArgs;
  /** Inbound trunk settings. Required. */
  inbound: LiveKitInboundTrunkArgs;
  /** Dispatch rule settings. Required. */
  dispatch: LiveKitDispatchArgs;
  /** Resources to wait for before any LiveKit API call, e.g. the deployment's health check. Defaults to none. */
  dependsOn?: pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
  /** Prefix of the names the trunks and rule carry in LiveKit. Defaults to the component name. */
  displayNamePrefix?: string;
  /**
   * Names the Redis data livekit-server keeps the trunks and rules in (e.g. the host's instance ID
   * and its data volume). A new value recreates all of them: a new VM or data volume starts with
   * none, and the IDs in state would name nothing. Defaults to none (nothing recreated for that).
   */
  storeId?: pulumi.Input<string>;
}

/**
 * LiveKit's side of the phone link: an outbound trunk pointing at the Twilio termination
 * domain, an inbound trunk accepting the carrier's calls, and a dispatch rule giving each
 * incoming call its own room with the agent dispatched into it, plus one rule per number
 * routed to another agent.
 */
export class LiveKitSipTrunks extends pulumi.ComponentResource {
  /** ID (`ST_…`) of the outbound trunk; the worker's `SIP_OUTBOUND_TRUNK_ID`. */
  public readonly outboundTrunkId: pulumi.Output<string>;
  /** ID (`ST_…`) of the inbound trunk. */
  public readonly inboundTrunkId: pulumi.Output<string>;
  /** ID (`SDR_…`) of the dispatch rule for every number. */
  public readonly dispatchRuleId: pulumi.Output<string>;
  /** IDs (`SDR_…`) of the rules for the numbers of `dispatch.agentsByNumber`, by number. */
  public readonly numberDispatchRuleIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: LiveKitSipTrunksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:livekit:LiveKitSipTrunks", name, {}, opts);
    const displayNamePrefix = args.displayNamePrefix ?? name;
    const transport = args.outbound.transport ?? "auto";
    const headers = args.outbound.headers ?? {};
    const allowedAddresses = args.inbound.allowedAddresses ?? [];
    const roomPrefix = args.dispatch.roomPrefix ?? "call-";
    const agentsByNumber = args.dispatch.agentsByNumber ?? {};
    const childOpts: pulumi.CustomResourceOptions = {
      parent: this,
      dependsOn: args.dependsOn,
      // Delete first: where the old store still holds them, a new inbound trunk for the same numbers would conflict.
      ...(args.storeId !== undefined && { replacementTrigger: args.storeId, deleteBeforeReplace: true }),
    };

    const outbound = {
      url: args.url,
      name: `${displayNamePrefix}-outbound`,
      address: args.outbound.address,
      numbers: args.outbound.numbers,
      transport,
      authUsername: args.outbound.authUsername,
      authPassword: pulumi.secret(args.outbound.authPassword),
      headers,
      destinationCountry: args.outbound.destinationCountry,
      ...(args.outbound.mediaEncryption !== undefined && { mediaEncryption: args.outbound.mediaEncryption }),
    };
    const inbound = {
      url: args.url,
      name: `${displayNamePrefix}-inbound`,
      numbers: args.inbound.numbers,
      allowedAddresses,
      authUsername: args.inbound.authUsername,
      authPassword: args.inbound.authPassword === undefined ? undefined : pulumi.secret(args.inbound.authPassword),
      maxCallDurationSeconds: args.inbound.maxCallDurationSeconds,
      ...(args.inbound.mediaEncryption !== undefined && { mediaEncryption: args.inbound.mediaEncryption }),
    };
    const dispatch = { url: args.url, name: `${displayNamePrefix}-inbound-calls`, roomPrefix, agentName: args.dispatch.agentName };
    const numberDispatches = Object.entries(agentsByNumber).map(([number, agentName]) => ({
      number,
      rule: { url: args.url, name: `${displayNamePrefix}-inbound-calls-${number}`, roomPrefix, agentName, numbers: [number] },
    }));

    // The providers' own checks, run now on whatever is already known, so a bad argument
    // stops the program here with every problem listed instead of at the first API call.
    const failures = [
      ...checkOutboundTrunk(plainOrUnknown(outbound) as OutboundTrunkInputs).failures.map((f) => `outbound.${f.reason}`),
      ...checkInboundTrunk(plainOrUnknown(inbound) as InboundTrunkInputs).failures.map((f) => `inbound.${f.reason}`),
      ...checkDispatchRule(plainOrUnknown({ ...dispatch, trunkIds: [] }) as DispatchRuleInputs)
        .filter((f) => f.property !== "trunkIds")
        .map((f) => `dispatch.${f.reason}`),
      ...numberDispatches.flatMap(({ number, rule }) =>
        checkDispatchRule(plainOrUnknown({ ...rule, trunkIds: [] }) as DispatchRuleInputs)
          .filter((f) => f.property !== "trunkIds")
          .map((f) => `dispatch.agentsByNumber["${number}"]: ${f.reason}`),
      ),
    ];
    if (failures.length > 0) {
      throw new pulumi.ResourceError(`LiveKitSipTrunks "${name}" has invalid arguments:\n  ${failures.join("\n  ")}`, this);
    }

    const outboundTrunk = new LiveKitSipOutboundTrunk(`${name}-outbound-trunk`, outbound, childOpts);
    const inboundTrunk = new LiveKitSipInboundTrunk(`${name}-inbound-trunk`, inbound, childOpts);
    const dispatchRule = new LiveKitSipDispatchRule(`${name}-dispatch-rule`, { ...dispatch, trunkIds: [inboundTrunk.id] }, childOpts);
    // Named by the number's digits, so adding or removing one number's route leaves the others alone.
    const numberRules = numberDispatches.map(({ number, rule }) => ({
      number,
      resource: new LiveKitSipDispatchRule(`${name}-dispatch-rule-${number.slice(1)}`, { ...rule, trunkIds: [inboundTrunk.id] }, childOpts),
    }));

    this.outboundTrunkId = outboundTrunk.id;
    this.inboundTrunkId = inboundTrunk.id;
    this.dispatchRuleId = dispatchRule.id;
    this.numberDispatchRuleIds = pulumi
      .all(numberRules.map(({ resource }) => resource.id))
      .apply((ids) => Object.fromEntries(ids.map((id, i) => [numberRules[i].number, id])));
    this.registerOutputs({
      outboundTrunkId: this.outboundTrunkId,
      inboundTrunkId: this.inboundTrunkId,
      dispatchRuleId: this.dispatchRuleId,
      numberDispatchRuleIds: this.numberDispatchRuleIds,
    });
  }
}
