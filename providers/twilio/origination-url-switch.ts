/**
 * Origination URL switch: sets the `enabled` flag of an origination URL the trunk component owns,
 * each time its `revision` changes. The rolling deploy declares two per node, one that disables the
 * node's URL before the node drains and one that enables it again once the node is healthy; the
 * program ignores later changes to `enabled` on the URL itself, so the switches and the URL never
 * fight over the flag.
 *
 * Read keeps the recorded flag rather than the live one: the switch records what it did, and a
 * refresh that saw the URL enabled again (by the other switch, or by hand) must not make the
 * disabling switch re-run, and drain the node, without a change.
 */
import type { ProviderContext } from "../base";
import { defineTwilioResource, twilioCall } from "./define-twilio-resource";
import type { TwilioSettings } from "./settings";

/** Origination URL switch inputs. */
export interface OriginationUrlSwitchInputs {
  /** Trunk SID (`TK…`). */
  trunkSid: string;
  /** SID of the origination URL to switch (`OU…`). */
  originationUrlSid: string;
  /** The flag to set. */
  enabled: boolean;
  /** Any change sets the flag again (the rolling deploy passes a digest of the node's changes). */
  revision: string;
}

/** Outputs Twilio computes (none: the switch owns no Twilio object). */
export type OriginationUrlSwitchComputed = Record<string, never>;

const originationUrlSwitch = defineTwilioResource<OriginationUrlSwitchInputs, OriginationUrlSwitchComputed>({
  type: "OriginationUrlSwitch",
  kind: "Twilio origination URL switch",
  fields: { trunkSid: "replaces", originationUrlSid: "replaces", enabled: "in place", revision: "in place" },
  describe: (props) => `"${props.originationUrlSid ?? "?"}" (enabled=${String(props.enabled)})`,
  async create(ctx, inputs) {
    await setEnabled(ctx, inputs);
    return { id: `${inputs.originationUrlSid}-${inputs.enabled ? "enable" : "disable"}`, computed: {} };
  },
  async read(ctx, _id, props) {
    await twilioCall(ctx, `fetch origination URL ${props.originationUrlSid}`, ({ client }) =>
      client.trunking.v1.trunks(props.trunkSid).originationUrls(props.originationUrlSid).fetch(),
    );
    return { ...props };
  },
  async update(ctx, _id, _olds, news) {
    await setEnabled(ctx, news);
    return {};
  },
  // The URL belongs to the trunk component: a switch that goes away leaves it as it is.
  async delete() {},
});

/** Sets the URL's flag; Twilio's update takes the one field alone. */
function setEnabled(ctx: ProviderContext<TwilioSettings>, inputs: OriginationUrlSwitchInputs): Promise<unknown> {
  const verb = inputs.enabled ? "enable" : "disable";
  return twilioCall(ctx, `${verb} origination URL ${inputs.originationUrlSid}`, ({ client }) =>
    client.trunking.v1.trunks(inputs.trunkSid).originationUrls(inputs.originationUrlSid).update({ enabled: inputs.enabled }),
  );
}

/** Dynamic provider for {@link OriginationUrlSwitch}. */
export const originationUrlSwitchProvider = originationUrlSwitch.provider;
/** Sets an origination URL's `enabled` flag whenever its revision changes. */
export const OriginationUrlSwitch = originationUrlSwitch.Resource;
