/**
 * Origination URL (trunking v1 `/Trunks/{TK}/OriginationUrls`): where Twilio sends inbound
 * calls, one per SIP node (`sip:<static IP>:5060`). Every field but the trunk updates in place.
 */
import { dynamicResourceClass } from "../base";
import { defineTwilioProvider, TWILIO_MODULE, twilioCall } from "./define-twilio-provider";
import { friendlyNameProblem, priorityProblem, sipUrlProblem, weightProblem } from "./rules";

/** Origination URL inputs. */
export interface OriginationUrlInputs {
  /** Trunk SID (`TK…`). */
  trunkSid: string;
  /** Descriptive name, up to 64 characters. */
  friendlyName: string;
  /** SIP URI Twilio routes inbound calls to, e.g. `sip:203.0.113.10:5060`. */
  sipUrl: string;
  /** 0-65535; lower is tried first. */
  priority: number;
  /** 1-65535; share of load among URLs of equal priority. */
  weight: number;
  /** Whether Twilio routes to this URL. */
  enabled: boolean;
}

/** Origination URL outputs Twilio computes. */
export interface OriginationUrlComputed {
  /** Origination URL SID (`OU…`). */
  sid: string;
}

/** The fields Twilio takes on create and update. */
function toTwilio(inputs: OriginationUrlInputs) {
  return { friendlyName: inputs.friendlyName, sipUrl: inputs.sipUrl, priority: inputs.priority, weight: inputs.weight, enabled: inputs.enabled };
}

/** Dynamic provider for {@link OriginationUrl}. */
export const originationUrlProvider = defineTwilioProvider<OriginationUrlInputs, OriginationUrlComputed>({
  kind: "Twilio origination URL",
  describe: (props) => `"${props.sipUrl ?? props.sid ?? "?"}"`,
  check(news) {
    const failures = [];
    const friendly = friendlyNameProblem(news.friendlyName ?? "");
    if (friendly) failures.push({ property: "friendlyName", reason: `friendlyName ${friendly}` });
    const sipUrl = sipUrlProblem(news.sipUrl ?? "");
    if (sipUrl) failures.push({ property: "sipUrl", reason: `sipUrl ${sipUrl}` });
    const priority = priorityProblem(news.priority);
    if (priority) failures.push({ property: "priority", reason: `priority ${priority}` });
    const weight = weightProblem(news.weight);
    if (weight) failures.push({ property: "weight", reason: `weight ${weight}` });
    return failures;
  },
  diffPolicy: { replaceOn: ["trunkSid"], updateInPlace: ["friendlyName", "sipUrl", "priority", "weight", "enabled"] },
  async create(ctx, inputs) {
    const url = await twilioCall(ctx, `create origination URL "${inputs.sipUrl}"`, ({ client }) =>
      client.trunking.v1.trunks(inputs.trunkSid).originationUrls.create(toTwilio(inputs)),
    );
    return { id: url.sid, computed: { sid: url.sid } };
  },
  async read(ctx, id, props) {
    const url = await twilioCall(ctx, `fetch origination URL ${id}`, ({ client }) =>
      client.trunking.v1.trunks(props.trunkSid).originationUrls(id).fetch(),
    );
    return {
      trunkSid: url.trunkSid,
      friendlyName: url.friendlyName,
      sipUrl: url.sipUrl,
      priority: url.priority,
      weight: url.weight,
      enabled: url.enabled,
      sid: url.sid,
    };
  },
  async update(ctx, id, olds, news) {
    await twilioCall(ctx, `update origination URL ${id}`, ({ client }) =>
      client.trunking.v1.trunks(olds.trunkSid).originationUrls(id).update(toTwilio(news)),
    );
    return { sid: id };
  },
  async delete(ctx, id, props) {
    await twilioCall(ctx, `delete origination URL ${id}`, ({ client }) => client.trunking.v1.trunks(props.trunkSid).originationUrls(id).remove());
  },
});

/** An origination URL on a trunk. */
export const OriginationUrl = dynamicResourceClass<OriginationUrlInputs, OriginationUrlInputs & OriginationUrlComputed>({
  module: TWILIO_MODULE,
  type: "OriginationUrl",
  provider: originationUrlProvider,
  outputs: ["trunkSid", "friendlyName", "sipUrl", "priority", "weight", "enabled", "sid"],
});
