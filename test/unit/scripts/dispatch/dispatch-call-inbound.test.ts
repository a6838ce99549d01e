import { describeProgress, describeSummary, exitCodeOf, type CallSummary } from "../../../../scripts/dispatch/call-progress";
import { defaultHoldSeconds, parseDispatchFlags } from "../../../../scripts/dispatch/dispatch-flags";
import { followCall } from "../../../../scripts/dispatch/follow-call";
import { isAudibleMuLaw, muLawDecode, muLawEncode, muLawTone } from "../../../../scripts/dispatch/g711";
import { callerInRoom } from "../../../../scripts/dispatch/inbound-room";
import { pcmuPayload } from "../../../../scripts/dispatch/rtp-caller";
import { heardRinging, inviteFinalResponse, type SipMessage } from "../../../../scripts/dispatch/sip-message-log";
import { readTwilioLogin, twilioCallRequest } from "../../../../scripts/dispatch/twilio-caller";
import { pulumiCli } from "../../../../scripts/pulumi-cli";
import { installFakePulumi } from "../../../utils/fake-pulumi";

const secret = "s3cretS3cretS3cretS3cretS3cretS3cret";
const server = ["--url", "http://127.0.0.1:7880", "--key", "devkey"];

describe("npm run call --inbound: the command line", () => {
  it("sends the call straight to livekit-sip with --sip, from loopback by default", () => {
    const flags = parseDispatchFlags(["--inbound", "+15550100001", "--from", "+15550100777", "--sip", "127.0.0.1:5060", ...server], { LIVEKIT_API_SECRET: secret });
    expect(flags).toMatchObject({
      inbound: {
        to: "+15550100001",
        from: "+15550100777",
        route: { kind: "sip", address: "127.0.0.1:5060", source: "127.0.0.1" },
        holdSeconds: defaultHoldSeconds,
        timeoutSeconds: 90,
      },
    });
  });

  it("goes through Twilio without --sip, with the account from the flag and the token from the environment only", () => {
    const flags = parseDispatchFlags(["--inbound", "+15550100001", "--from", "+15550100777", "--twilio-account-sid", "AC123", "--hold", "20", "--stack", "prod"], {
      TWILIO_AUTH_TOKEN: "token-1",
    });
    expect(flags).toMatchObject({ stack: "prod", inbound: { route: { kind: "twilio", accountSid: "AC123", authToken: "token-1" }, holdSeconds: 20 } });
  });

  it("lists every bad inbound flag at once, saying what is expected", () => {
    expect(() => parseDispatchFlags(["--inbound", "+15550100001", "--hold", "0", "--sip", "voice.example.com", ...server], { LIVEKIT_API_SECRET: secret })).toThrow(
      [
        "--inbound needs --from <number>: the caller's E.164 number",
        '--hold "0": expected a whole number of seconds, at least 1',
        '--sip "voice.example.com": expected livekit-sip\'s SIP address as host:port, e.g. 127.0.0.1:5060',
        '--sip "voice.example.com" is not on loopback: give --sip-source <this machine\'s address the inbound trunk allows>',
      ].join("\n"),
    );
  });

  it("sends Twilio's requests to a test endpoint only on loopback, and never with --sip", () => {
    const args = ["--inbound", "+15550100001", "--from", "+15550100777", ...server];
    expect(parseDispatchFlags([...args, "--twilio-api-base-url", "http://127.0.0.1:4010"], { LIVEKIT_API_SECRET: secret })).toMatchObject({
      inbound: { route: { kind: "twilio", apiBaseUrl: "http://127.0.0.1:4010" } },
    });
    expect(() => parseDispatchFlags([...args, "--twilio-api-base-url", "https://api.example.com"], { LIVEKIT_API_SECRET: secret })).toThrow(
      /^--twilio-api-base-url "https:\/\/api\.example\.com": "https:\/\/api\.example\.com" is not a loopback http\(s\) URL/,
    );
    expect(() =>
      parseDispatchFlags([...args, "--sip", "127.0.0.1:5060", "--twilio-api-base-url", "http://127.0.0.1:4010"], { LIVEKIT_API_SECRET: secret }),
    ).toThrow("--sip and --twilio-api-base-url exclude each other");
  });

  it("refuses inbound flags on an outbound call", () => {
    expect(() => parseDispatchFlags(["+15551234567", "--from", "+15550100777", ...server], { LIVEKIT_API_SECRET: secret })).toThrow(
      "--from is only for calls into the stack: add --inbound",
    );
  });
});

describe("npm run call --inbound through Twilio", () => {
  it("asks Twilio to call the stack's number from the caller and hold the line, then hang up", () => {
    expect(twilioCallRequest("+15550100001", "+15550100777", 15, 60)).toEqual({
      to: "+15550100001",
      from: "+15550100777",
      twiml: '<Response><Pause length="15"/><Hangup/></Response>',
      timeout: 60,
    });
  });

  it("reads the Twilio login from the stack's config when not given, the auth token or else the API key pair", async () => {
    const fake = installFakePulumi({
      "config get agent-studio-voice:twilioAccountSid --stack prod": { stdout: "AC0123\n" },
      "config get agent-studio-voice:twilioAuthToken --stack prod": { exitCode: 1, stderr: "configuration key not found" },
      "config get agent-studio-voice:twilioApiKeySid --stack prod": { stdout: "SK0123\n" },
      "config get agent-studio-voice:twilioApiKeySecret --stack prod": { stdout: "key-secret\n" },
    });
    try {
      const cli = pulumiCli({ env: fake.env });
      expect(await readTwilioLogin({}, cli, "prod")).toEqual({ accountSid: "AC0123", apiKeySid: "SK0123", apiKeySecret: "key-secret" });
      expect(await readTwilioLogin({ accountSid: "AC9", authToken: "t" }, cli, "prod")).toEqual({ accountSid: "AC9", authToken: "t" });
    } finally {
      fake.remove();
    }
  });

  it("names what is missing when neither flags nor a stack give a login", async () => {
    await expect(readTwilioLogin({}, undefined, undefined)).rejects.toThrow(
      /^calling in through Twilio needs the Twilio account SID .* and the Twilio auth token .*; or call livekit-sip directly with --sip <host:port>$/,
    );
  });
});

describe("npm run call --inbound: finding and following the call", () => {
  const caller = { "sip.ruleID": "SDR_1", "sip.callID": "SCL_1", "sip.phoneNumber": "+15550100777", "sip.trunkPhoneNumber": "+15550100001" };

  it("finds the caller's participant by the dispatch rule's attributes and both numbers", () => {
    const agent = { identity: "agent-AJ_1", attributes: { "agent_studio.call_id": "SCL_1" } };
    expect(callerInRoom([agent, { identity: "sip_+15550100777", attributes: caller }], "+15550100777", "+15550100001")).toEqual({
      identity: "sip_+15550100777",
      callId: "SCL_1",
    });
    expect(callerInRoom([{ identity: "sip_+15550100777", attributes: caller }], "+15550100778", "+15550100001")).toBeUndefined();
    // An outbound call's leg (no sip.ruleID) is never taken for it.
    const { "sip.ruleID": _rule, ...outboundLeg } = caller;
    expect(callerInRoom([{ identity: "sip-call-1", attributes: outboundLeg }], "+15550100777", "+15550100001")).toBeUndefined();
  });

  it("follows the room's events to the end of an answered call, and ignores what comes after", async () => {
    const seen: string[] = [];
    const follower = followCall({ callId: "SCL_1", workerJoined: false, direction: "inbound" }, (p) => seen.push(p.kind));
    follower.onEvent({ kind: "worker_joined", identity: "agent" });
    follower.onEvent({ kind: "outcome", outcome: { outcome: "answered", reason: "answered", sipStatusCode: 200 } });
    follower.onEvent({ kind: "callee_left", identity: "sip_+15550100777", reason: "client_initiated" });
    follower.onEvent({ kind: "room_closed", reason: "room_deleted" });
    await follower.finished;
    expect(follower.summary).toMatchObject({ workerJoined: true, outcome: { outcome: "answered" }, ended: "callee_hung_up" });
    expect(seen).toEqual(["worker_joined", "outcome", "callee_left"]);
  });

  it("reports the caller's progress lines", () => {
    expect(describeProgress({ kind: "calling", via: "with sipp to 127.0.0.1:5060" }, "+15550100001", true)).toBe("calling +15550100001 with sipp to 127.0.0.1:5060");
    expect(describeProgress({ kind: "dialing" }, "+15550100001", true)).toBe("the worker is answering");
    expect(describeProgress({ kind: "room_found", room: "call-_+1_x", identity: "sip_+1" }, "+15550100001", true)).toBe("the call came in: room call-_+1_x, caller sip_+1");
  });
});

describe("npm run call --inbound: the summary and exit code", () => {
  const base: CallSummary = { callId: "SCL_1", workerJoined: true, direction: "inbound", room: "call-_+15550100777_abc" };
  const answered = { ...base, outcome: { outcome: "answered", reason: "answered", sipStatusCode: 200 }, ended: "callee_hung_up" as const };

  it("exits 0 for an answered call the caller heard, 1 when the caller heard only silence", () => {
    const heard = { ...answered, caller: { audio: { packets: 300, audiblePackets: 50, sent: 300 } } };
    expect(exitCodeOf(heard)).toBe(0);
    expect(describeSummary(heard, "a")).toBe("call answered and ended: the caller hung up; the caller heard the agent (50 audible of 300 RTP packets)");
    const silent = { ...answered, caller: { audio: { packets: 300, audiblePackets: 0, sent: 300 } } };
    expect(exitCodeOf(silent)).toBe(1);
    expect(describeSummary(silent, "a")).toBe("call answered and ended: the caller hung up; the caller heard nothing from the agent (300 RTP packets, none audible)");
    // Through Twilio the caller's audio is not counted: answered is enough.
    expect(exitCodeOf({ ...answered, caller: { twilioCallSid: "CA1", twilioStatus: "completed" } })).toBe(0);
  });

  it("says what the caller got when no worker took the call, or when the stack made no room", () => {
    const busy = { ...base, workerJoined: false, caller: { ringing: true, sipStatus: { code: 486, reason: "Rejected" } } };
    expect(exitCodeOf(busy)).toBe(1);
    expect(describeSummary(busy, "agent-x")).toBe(
      'no outcome: no worker registered as "agent-x" took the call in room call-_+15550100777_abc; the caller got SIP 486 Rejected after ringing',
    );
    const dropped: CallSummary = { callId: "", workerJoined: false, direction: "inbound", caller: { ringing: true } };
    expect(describeSummary(dropped, "a")).toBe("call not answered: no room was created for it; the caller got no final SIP response after ringing (the stack dropped the call)");
    const viaTwilio: CallSummary = { callId: "", workerJoined: false, direction: "inbound", caller: { twilioCallSid: "CA1", twilioStatus: "busy" } };
    expect(describeSummary(viaTwilio, "a")).toBe("call not answered: no room was created for it; the caller got Twilio's call status busy");
  });
});

describe("the test caller's SIP and RTP", () => {
  const message = (direction: SipMessage["direction"], text: string): SipMessage => ({
    atMs: 0,
    direction,
    firstLine: text.split("\r\n")[0],
    callId: "",
    text,
  });

  it("reads the INVITE's final response and whether it rang, ignoring the BYE's 200", () => {
    const messages = [
      message("sent", "INVITE sip:+15550100001@127.0.0.1:5060 SIP/2.0\r\nCSeq: 1 INVITE\r\n"),
      message("received", "SIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\n"),
      message("received", "SIP/2.0 486 Rejected\r\nCSeq: 1 INVITE\r\n"),
    ];
    expect(inviteFinalResponse(messages)).toEqual({ code: 486, reason: "Rejected" });
    expect(heardRinging(messages)).toBe(true);
    expect(inviteFinalResponse([message("received", "SIP/2.0 200 OK\r\nCSeq: 2 BYE\r\n")])).toBeUndefined();
    expect(inviteFinalResponse(messages.slice(0, 2))).toBeUndefined();
  });

  it("encodes and decodes G.711 u-law within its quantisation step, silence as silence", () => {
    for (const sample of [0, 1, -1, 100, -100, 1000, -1000, 12345, -12345, 32767, -32768]) {
      expect(Math.abs(muLawDecode(muLawEncode(sample)) - sample)).toBeLessThanOrEqual(Math.max(8, Math.abs(sample) / 16));
    }
    expect(isAudibleMuLaw(new Uint8Array(160).fill(muLawEncode(0)))).toBe(false);
    expect(isAudibleMuLaw(muLawTone(440, 0.3, 0, 160))).toBe(true);
  });

  it("takes the PCMU payload of an RTP packet and nothing else", () => {
    const header = Buffer.from([0x80, 0, 0, 1, 0, 0, 0, 160, 0, 0, 0, 7]);
    expect(pcmuPayload(Buffer.concat([header, Buffer.from([1, 2, 3])]))).toEqual(Buffer.from([1, 2, 3]));
    const dtmf = Buffer.from(header);
    dtmf[1] = 101;
    expect(pcmuPayload(Buffer.concat([dtmf, Buffer.from([1, 2, 3])]))).toBeUndefined();
    expect(pcmuPayload(Buffer.from([1, 2, 3]))).toBeUndefined();
  });
});
