/** Type tokens of the two resources a SIP credential rotation touches. */
export interface RotationTypes {
  /** The Twilio SIP credential (`pulumi-nodejs:dynamic/twilio:Credential`). */
  twilioCredential: string;
  /** The LiveKit outbound trunk (`pulumi-nodejs:dynamic/livekit:SipOutboundTrunk`). */
  livekitOutboundTrunk: string;
}

/** The URNs `pulumi up --target` limits a rotation to. */
export interface RotationTargets {
  twilioCredential: string;
  livekitOutboundTrunk: string;
}

interface ExportedResource {
  urn?: unknown;
  type?: unknown;
  delete?: unknown;
}

/**
 * Finds the Twilio credential and the LiveKit outbound trunk in `pulumi stack export` output.
 * Each must exist exactly once (resources pending deletion from an earlier replacement are not
 * counted); otherwise the error says what was found and what to do.
 */
export function findRotationTargets(stackExport: string, types: RotationTypes, stack: string): RotationTargets {
  let resources: ExportedResource[];
  try {
    const parsed = JSON.parse(stackExport) as { deployment?: { resources?: ExportedResource[] } };
    resources = parsed.deployment?.resources ?? [];
  } catch {
    throw new Error(`\`pulumi stack export --stack ${stack}\` did not print a JSON deployment; run it yourself to see why.`);
  }
  const live = resources.filter((r) => r.delete !== true && typeof r.urn === "string");
  const one = (what: string, type: string): string => {
    const urns = live.filter((r) => r.type === type).map((r) => r.urn as string);
    if (urns.length === 1) return urns[0];
    if (urns.length === 0) {
      throw new Error(
        `Stack "${stack}" has no ${what} (${type}) in its state: the trunk has not been deployed yet. ` +
          `Run \`pulumi up --stack ${stack}\` first; rotation changes credentials that exist.`,
      );
    }
    throw new Error(`Stack "${stack}" has ${urns.length} resources of type ${type} (${urns.join(", ")}); the rotation expects exactly one ${what}.`);
  };
  return {
    twilioCredential: one("Twilio SIP credential", types.twilioCredential),
    livekitOutboundTrunk: one("LiveKit outbound trunk", types.livekitOutboundTrunk),
  };
}
