/**
 * The whole program as `pulumi preview` runs it (the mock runtime in preview mode): outputs of what
 * the update creates or replaces are unknown and `apply` callbacks on them do not run. The mocks
 * refuse, as GCE does, to read the guest attributes of a VM that does not exist.
 */
import * as pulumi from "@pulumi/pulumi";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { freshStackPreview, type PreviewPlan } from "../../../scripts/plan/mock-monitor";
import { runProgram, stackConfig } from "../../utils/offline-program";
import { promiseOf } from "../../utils/pulumi-mocks";

const guestAttributes = "gcp:compute/getInstanceGuestAttributes:getInstanceGuestAttributes";
const instanceType = "gcp:compute/instance:Instance";

/** The logical name of every resource the run registered, sorted. */
const names = (run: OfflineRun): string[] => run.monitor.resources.map((r) => r.name).sort();

/** An update of an existing stack where only the VM is replaced (e.g. a new boot image). */
const replaceVm: PreviewPlan = { exists: (_name, type) => type !== instanceType };

/** The LiveKit trunks and dispatch rules, which live in the host's Redis. */
const livekitResources = (run: OfflineRun): string[] =>
  run.monitor.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/livekit:")).map((r) => r.name);

/** Whether an Output is known (the SDK's own flag; unknown ones never resolve). */
const isKnown = (value: pulumi.Input<unknown>): Promise<boolean> => (pulumi.output(value) as unknown as { isKnown: Promise<boolean> }).isKnown;

/** An update of an existing stack where every resource is kept. */
const keepAll: PreviewPlan = { exists: () => true };

describe("the program under pulumi preview (Pulumi.prod.yaml)", () => {
  let update: OfflineRun;
  beforeAll(async () => {
    update = await runProgram(stackConfig("prod"));
  }, 180_000);

  it("previews a fresh stack: every resource of the update, and no read of the VM it would create", async () => {
    const preview = await runProgram(stackConfig("prod"), "prod", { preview: freshStackPreview });
    expect(names(preview)).toEqual(names(update));
    expect(preview.monitor.invokes.filter((i) => i.token === guestAttributes)).toEqual([]);
    // The deploy steps' SSH connection waits for the host key, which waits for the VM.
    const steps = preview.monitor.ofType("command:remote:Command");
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(pulumi.isUnknown(step.inputs.connection)).toBe(true);
  }, 180_000);

  it("previews an update that replaces the VM without reading the new VM before it exists, and recreates the LiveKit trunks with it", async () => {
    const preview = await runProgram(stackConfig("prod"), "prod", { preview: replaceVm });
    expect(names(preview)).toEqual(names(update));
    expect(preview.monitor.invokes.filter((i) => i.token === guestAttributes)).toEqual([]);
    // The new VM's Redis starts empty: the trunks' replacement trigger changes with the VM, so the engine recreates them.
    const triggers = livekitResources(preview).map((name) => preview.replacementTriggers.get(name));
    expect(triggers).toHaveLength(3);
    for (const trigger of triggers) expect(await isKnown(trigger as pulumi.Input<unknown>)).toBe(false);
  }, 180_000);

  it("previews an update that keeps the VM with its host key read from the VM that exists", async () => {
    const preview = await runProgram(stackConfig("prod"), "prod", { preview: keepAll });
    const reads = preview.monitor.invokes.filter((i) => i.token === guestAttributes);
    expect(reads.map((r) => r.args.name)).toEqual(preview.monitor.ofType(instanceType).map(() => "voice-host-vm-a1b2c3"));
    const step = preview.monitor.byName("voice-deploy-wait-host");
    expect(step.inputs.connection).toEqual(expect.objectContaining({ hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey" }));
  }, 180_000);

  it("ties the LiveKit trunks and rules to the VM and the Redis volume they are stored in", async () => {
    const instanceId = "voice-host-vm-1234567890";
    const triggers = await Promise.all(livekitResources(update).map((name) => promiseOf(pulumi.output(update.replacementTriggers.get(name)))));
    expect(triggers).toEqual([`${instanceId}/redis-data`, `${instanceId}/redis-data`, `${instanceId}/redis-data`]);
    for (const name of livekitResources(update)) expect(update.deleteBeforeReplace).toContain(name);
  });

  it("reads the host key during an update only after the VM exists", () => {
    const reads = update.monitor.invokes.filter((i) => i.token === guestAttributes);
    expect(reads.map((r) => r.args.name)).toEqual(["voice-host-vm-a1b2c3"]);
  });
});
