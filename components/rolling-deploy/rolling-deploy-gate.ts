import { createHash } from "node:crypto";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { OriginationUrlSwitch } from "../../providers/twilio/origination-url-switch";
import { rollsOneNodeAtATime, type RollStep } from "./node-roll";
import { defaultHealthSeconds, renderSipDrainScript, sipDrainCommand } from "./sip-drain-script";

/** Arguments of {@link RollingDeployGate}. */
export interface RollingDeployGateArgs {
  /** Node name for messages, e.g. `node-1`. Required. */
  nodeName: string;
  /** How many voice nodes the stack has; the gate refuses fewer than 2 (with one node there is no other to take its calls). Required. */
  nodeCount: number;
  /**
   * What this node's turn waits for: the previous node's gate (its `done`), so no two nodes are out
   * at once, and this node's VM (the drain reaches it over SSH). Defaults to none.
   */
  before?: pulumi.Resource[];
  /** SID of the Twilio trunk (`TK…`). Required. */
  trunkSid: pulumi.Input<string>;
  /** SID of this node's origination URL (`OU…`). Required. */
  originationUrlSid: pulumi.Input<string>;
  /** SSH connection to the node (deploy key, pinned host key). Required. */
  connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
  /**
   * Every value whose change makes one of the node's update steps restart livekit-sip or
   * livekit-server (file hashes, the VM's ID): a change to any of them runs the gate. Required.
   */
  triggers: pulumi.Input<string>[];
  /** The longest call in minutes (`maxCallMinutes`): how long the drain waits for calls to end. Required. */
  maxCallMinutes: number;
  /** How long the updated node has to answer its health checks, in seconds. Defaults to 300. */
  healthSeconds?: number;
  /**
   * Declares the node's update steps, given the step they must follow (pass it to their
   * `dependsOn`); returns them, so the node is checked healthy only once they are done. Required.
   */
  update: (drained: pulumi.Resource) => pulumi.Resource[];
}

/**
 * One node's turn in a rolling deploy, as a chain of steps that run only when the node changes:
 * disable its Twilio origination URL, drain its livekit-sip (until its calls have ended or the
 * longest call passed), the node's own update steps, the node healthy again, enable the URL.
 * Chain the nodes with `before: [previousGate.done, vm]`: the next node's URL is disabled only once
 * the previous one's is enabled again. A failing step fails `pulumi up` there: later steps and
 * later nodes do not run, and the node's URL stays disabled until the next `pulumi up` (or
 * on-call, as the error says) enables it. See node-roll.ts for the same order of work as code.
 */
export class RollingDeployGate extends pulumi.ComponentResource {
  /** Done once the URL is disabled and livekit-sip drained: the node's update steps follow it. */
  public readonly drained: pulumi.Resource;
  /** Done once the node is healthy and its URL enabled again: the next node's gate follows it. */
  public readonly done: pulumi.Resource;
  /** Digest of the triggers: what made this gate run last. */
  public readonly revision: pulumi.Output<string>;

  constructor(name: string, args: RollingDeployGateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:rolling-deploy:RollingDeployGate", name, {}, opts);
    if (!rollsOneNodeAtATime(args.nodeCount)) {
      throw new pulumi.ResourceError(
        `nodeCount is ${args.nodeCount}: a rolling deploy gate needs at least 2 nodes (with one, disabling its origination URL would refuse every inbound call); declare no gate for a single node`,
        this,
      );
    }
    const healthSeconds = args.healthSeconds ?? defaultHealthSeconds;
    const script = renderSipDrainScript({ maxCallMinutes: args.maxCallMinutes, healthSeconds });
    const url = pulumi.all([args.trunkSid, args.originationUrlSid]).apply(([trunkSid, sid]) => ({ trunkSid, sid }));

    this.revision = pulumi.all(args.triggers).apply((values) => createHash("sha256").update(JSON.stringify(values)).digest("hex"));
    const urlSwitch = (role: string, enabled: boolean, dependsOn: pulumi.Resource[]) =>
      new OriginationUrlSwitch(
        `${name}-${role}`,
        { trunkSid: args.trunkSid, originationUrlSid: args.originationUrlSid, enabled, revision: this.revision },
        { parent: this, dependsOn },
      );
    const hostStep = (step: RollStep, action: "drain" | "resume", dependsOn: pulumi.Resource[]) =>
      new command.remote.Command(
        `${name}-${step}`,
        {
          connection: args.connection,
          create: pulumi.all([url, this.revision]).apply(([u, revision]) => sipDrainCommand(action, revision, args.nodeName, step, u)),
          stdin: script,
          triggers: [this.revision],
          logging: "stderr",
        },
        { parent: this, dependsOn },
      );

    const disabled = urlSwitch("disable-url", false, args.before ?? []);
    this.drained = hostStep("drain", "drain", [disabled]);
    const updates = args.update(this.drained);
    const healthy = hostStep("health", "resume", [this.drained, ...updates]);
    this.done = urlSwitch("enable-url", true, [healthy]);
    this.registerOutputs({ revision: this.revision });
  }
}
