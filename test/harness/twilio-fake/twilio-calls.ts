/**
 * The Calls resource of Twilio's API v2010 (CreateCall, FetchCall) for the fake, rendered with
 * every documented field as the validator requires. Placing a call is the test's part: the
 * fake hands each created call to a {@link CallPlacer}, which plays Twilio's origination leg
 * (e.g. sipp sending the INVITE to livekit-sip) and says how the call ended.
 */
import type { FakeTwilio } from "./fake-twilio-server";
import { newSid, type Reply, twilioError } from "./twilio-state";

/** A call as CreateCall was asked to place it. */
export interface RequestedCall {
  sid: string;
  to: string;
  from: string;
  /** The TwiML run once the call is answered. */
  twiml: string;
  /** Seconds Twilio lets the callee ring (`Timeout`, default 60). */
  timeoutSeconds: number;
}

/** Twilio's final statuses of a call. */
export type FinalCallStatus = "completed" | "busy" | "failed" | "no-answer" | "canceled";

/** Places one call (the origination leg) and resolves with how it ended. */
export type CallPlacer = (call: RequestedCall) => Promise<FinalCallStatus>;

interface CallRecord extends RequestedCall {
  status: "queued" | "ringing" | FinalCallStatus;
  created: Date;
  updated: Date;
}

/** The seconds of the first `<Pause length="N"/>` of a TwiML document (1 when it has none, as Twilio's default). */
export function twimlPauseSeconds(twiml: string): number {
  const match = /<Pause\b[^>]*\blength="(\d+)"/.exec(twiml);
  return match ? Number(match[1]) : 1;
}

const rfc2822 = (d: Date) => d.toUTCString().replace(/GMT$/, "+0000");
const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Adds CreateCall and FetchCall to `fake`; each created call goes to `placer`. Returns the calls
 * made so far, and a promise per call that settles once its placer did.
 */
export function addCallsApi(fake: FakeTwilio, placer: CallPlacer): { calls(): RequestedCall[]; settled(): Promise<unknown> } {
  const accountSid = fake.credentials.accountSid;
  const calls = new Map<string, CallRecord>();
  const running: Promise<unknown>[] = [];
  const uri = (sid: string) => `/2010-04-01/Accounts/${accountSid}/Calls/${sid}.json`;
  const render = (c: CallRecord) => ({
    sid: c.sid,
    date_created: rfc2822(c.created),
    date_updated: rfc2822(c.updated),
    parent_call_sid: null,
    account_sid: accountSid,
    to: c.to,
    to_formatted: c.to,
    from: c.from,
    from_formatted: c.from,
    phone_number_sid: null,
    status: c.status,
    start_time: null,
    end_time: null,
    duration: null,
    price: null,
    price_unit: "USD",
    direction: "outbound-api",
    answered_by: null,
    api_version: "2010-04-01",
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: "0",
    trunk_sid: null,
    uri: uri(c.sid),
    subresource_uris: { notifications: uri(c.sid).replace(/\.json$/, "/Notifications.json") },
  });
  Object.assign(fake.state.handlers, {
    CreateCall: ({ form }: { form: Record<string, string | string[]> }): Reply => {
      const to = single(form.To);
      const from = single(form.From);
      const twiml = single(form.Twiml);
      if (!to || !from || !twiml) return twilioError(400, 21205, "The fake places calls with To, From and Twiml only");
      const now = new Date();
      const call: CallRecord = { sid: newSid("CA"), to, from, twiml, timeoutSeconds: Number(single(form.Timeout) ?? 60), status: "queued", created: now, updated: now };
      calls.set(call.sid, call);
      const settle = (status: CallRecord["status"]) => {
        call.status = status;
        call.updated = new Date();
      };
      running.push(
        Promise.resolve()
          .then(() => settle("ringing"))
          .then(() => placer(call))
          .then(settle, () => settle("failed")),
      );
      return { status: 201, body: render(call) };
    },
    FetchCall: ({ params }: { params: Record<string, string> }): Reply => {
      const call = calls.get(params.Sid);
      return call ? { status: 200, body: render(call) } : twilioError(404, 20404, `The requested resource ${uri(params.Sid)} was not found`);
    },
  });
  return { calls: () => [...calls.values()].map(({ sid, to, from, twiml, timeoutSeconds }) => ({ sid, to, from, twiml, timeoutSeconds })), settled: () => Promise.all(running) };
}
