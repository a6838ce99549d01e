/**
 * Origination URL (trunking v1 `/Trunks/{TK}/OriginationUrls`): where Twilio sends inbound
 * calls, one per SIP node (`sip:<static IP>:5060`). Every field but the trunk updates in place.
 */
import { defineTwilioResource, propertyProblems, twilioCall } from "./define-twilio-resource";
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

const originationUrl = defineTwilioResource<OriginationUrlInputs, OriginationUrlComputed>({
  type: "OriginationUrl",
  kind: "Twilio origination URL",
  fields: { trunkSid: "replaces", friendlyName: "in place", sipUrl: "in place", priority: "in place", weight: "in place", enabled: "in place" },
  computed: ["sid"],
  describe: (props) => `"${props.sipUrl ?? props.sid ?? "?"}"`,
  check: (news) =>
    propertyProblems({
      friendlyName: friendlyNameProblem(news.friendlyName ?? ""),
      sipUrl: sipUrlProblem(news.sipUrl ?? ""),
      priority: priorityProblem(news.priority),
      weight: weightProblem(news.weight),
    }),
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

/** Dynamic provider for {@link OriginationUrl}. */
export const originationUrlProvider = originationUrl.provider;
/** An origination URL on a trunk. */
export const OriginationUrl = originationUrl.Resource;
