import { describeSummary, endOfAnsweredCall, exitCodeOf, outcomeFromAttributes } from "../../../../scripts/dispatch/call-progress";
import { defaultAgentName, jobMetadata, newCallId, parseDispatchFlags } from "../../../../scripts/dispatch/dispatch-flags";
import { signalingUrl } from "../../../../scripts/dispatch/room-observer";
import { completeTarget, readStackTarget } from "../../../../scripts/dispatch/stack-target";
import { pulumiCli } from "../../../../scripts/pulumi-cli";
import { installFakePulumi } from "../../../utils/fake-pulumi";

const secret = "s3cretS3cretS3cretS3cretS3cretS3cret";
const explicit = ["+15551234567", "--url", "https://voice.example.com", "--key", "APIvoiceprod"];

describe("npm run call: the command line", () => {
  it("takes the server explicitly, with the secret from LIVEKIT_API_SECRET and the worker's default agent name", () => {
    const flags = parseDispatchFlags([...explicit, "--call-id", "call-1"], { LIVEKIT_API_SECRET: secret });
    expect(flags).toEqual({
      help: false,
      request: { phoneNumber: "+15551234567", callId: "call-1", timeoutSeconds: 90 },
      target: { apiUrl: "https://voice.example.com", apiKey: "APIvoiceprod", apiSecret: secret, agentName: defaultAgentName },
      json: false,
      warnings: [],
    });
  });

  it("accepts --secret but warns that a command line is readable by every user of the machine", () => {
    const flags = parseDispatchFlags([...explicit, "--secret", secret], {});
    expect(flags).toMatchObject({ target: { apiSecret: secret }, warnings: [expect.stringMatching(/prefer LIVEKIT_API_SECRET/)] });
  });

  it("leaves the agent name to the stack with --stack", () => {
    const flags = parseDispatchFlags(["+15551234567", "--stack", "prod"], {});
    expect(flags).toMatchObject({ stack: "prod", target: {} });
  });

  it("lists every bad flag at once, saying what is expected", () => {
    let message = "";
    try {
      parseDispatchFlags(["5551234567", "--url", "http://voice.example.com", "--call-id", "bad id", "--timeout", "0"], {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toEqual([
      expect.stringMatching(/^phone number "5551234567": expected an E\.164 phone number/),
      expect.stringMatching(/^--url "http:\/\/voice\.example\.com": expected https:\/\/<domain>, the host's TLS endpoint/),
      expect.stringMatching(/^--call-id "bad id": expected 1-128 letters, digits/),
      '--timeout "0": expected a whole number of seconds, at least 1',
      "without --stack, give the LiveKit server explicitly: missing --key <api key>, the API secret (LIVEKIT_API_SECRET in the environment)",
    ]);
  });

  it("sends exactly the job metadata fields the worker accepts", () => {
    expect(JSON.parse(jobMetadata({ phoneNumber: "+15551234567", callId: "call-1", timeoutSeconds: 90 }))).toEqual({
      phone_number: "+15551234567",
      call_id: "call-1",
    });
    expect(JSON.parse(jobMetadata({ phoneNumber: "+15551234567", callId: "call-1", callerId: "+15550000000", agent: "sales", timeoutSeconds: 90 }))).toEqual({
      phone_number: "+15551234567",
      call_id: "call-1",
      caller_id: "+15550000000",
      agent: "sales",
    });
  });

  it("makes call IDs the worker accepts, a new one each time", () => {
    const id = newCallId(new Date("2025-01-02T03:04:05.678Z"));
    expect(id).toMatch(/^call-20250102t030405-[0-9a-f]{6}$/);
    expect(newCallId()).not.toBe(newCallId());
  });

  it("joins the room over the signaling URL of the API URL", () => {
    expect(signalingUrl("https://voice.example.com")).toBe("wss://voice.example.com");
    expect(signalingUrl("http://127.0.0.1:7880")).toBe("ws://127.0.0.1:7880");
  });
});

describe("npm run call --stack", () => {
  it("reads the API URL and agent name from the outputs and the key pair from config", async () => {
    const fake = installFakePulumi({
      "stack output --json --stack prod": { stdout: JSON.stringify({ livekitApiUrl: "https://voice.example.com", agentName: "agent-prod", staticIp: "203.0.113.10" }) },
      "config get agent-studio-voice:livekitApiKey --stack prod": { stdout: "APIvoiceprod\n" },
      "config get agent-studio-voice:livekitApiSecret --stack prod": { stdout: `${secret}\n` },
    });
    try {
      const target = await readStackTarget(pulumiCli({ env: fake.env }), "prod");
      expect(target).toEqual({ apiUrl: "https://voice.example.com", agentName: "agent-prod", apiKey: "APIvoiceprod", apiSecret: secret });
      expect(fake.calls().every((c) => !c.args.join(" ").includes(secret))).toBe(true);
    } finally {
      fake.remove();
    }
  });

  it("lets explicit values override the stack's and names whatever is still missing", () => {
    expect(completeTarget({ apiUrl: "https://a.example.com", apiKey: "k", apiSecret: secret, agentName: "a" }, { agentName: "b" })).toMatchObject({
      apiUrl: "https://a.example.com",
      agentName: "b",
    });
    expect(() => completeTarget({ apiKey: "k", apiSecret: secret }, {})).toThrow(
      "missing --url <https://domain> (the stack output livekitApiUrl; run `pulumi up` if the stack has none); --agent-name <name> (the stack output agentName)",
    );
  });
});

describe("npm run call: reading the outcome", () => {
  const attributes = {
    "agent_studio.call_id": "call-1",
    "agent_studio.call_status": "ended",
    "agent_studio.call_outcome": "rejected",
    "agent_studio.call_outcome_reason": "forbidden",
    "agent_studio.sip_status_code": "403",
    "agent_studio.sip_status": "Forbidden",
  };

  it("reads the outcome the worker set on its participant, for this call only", () => {
    expect(outcomeFromAttributes(attributes, "call-1")).toEqual({ outcome: "rejected", reason: "forbidden", sipStatusCode: 403, sipStatus: "Forbidden" });
    expect(outcomeFromAttributes(attributes, "call-2")).toBeUndefined();
    expect(outcomeFromAttributes({ "agent_studio.call_id": "call-1", "agent_studio.call_status": "dialing" }, "call-1")).toBeUndefined();
    expect(
      outcomeFromAttributes({ ...attributes, "agent_studio.call_outcome": "no_answer", "agent_studio.call_outcome_reason": "ringing_timeout", "agent_studio.sip_status_code": "", "agent_studio.sip_status": "" }, "call-1"),
    ).toEqual({ outcome: "no_answer", reason: "ringing_timeout" });
  });

  it("tells the callee's hangup (livekit-sip reports their BYE as client-initiated) from the agent's side closing the room", () => {
    expect(endOfAnsweredCall("client_initiated")).toBe("callee_hung_up");
    expect(endOfAnsweredCall("room_deleted")).toBe("room_closed");
  });

  it("exits 0 only for an answered call and says why there is no outcome", () => {
    const answered = { callId: "c", workerJoined: true, outcome: { outcome: "answered", reason: "answered", sipStatusCode: 200 }, ended: "callee_hung_up" as const };
    expect(exitCodeOf(answered)).toBe(0);
    expect(describeSummary(answered, "a")).toBe("call answered and ended: the callee hung up");
    const rejected = { callId: "c", workerJoined: true, outcome: { outcome: "rejected", reason: "forbidden", sipStatusCode: 403, sipStatus: "Forbidden" } };
    expect(exitCodeOf(rejected)).toBe(1);
    expect(describeSummary(rejected, "a")).toBe("call not answered: rejected (forbidden, SIP 403 Forbidden)");
    expect(describeSummary({ callId: "c", workerJoined: false }, "agent-x")).toMatch(/no worker registered as "agent-x" took the job/);
    expect(describeSummary({ callId: "c", workerJoined: true }, "a")).toMatch(/invalid job metadata or a worker error: look for call\.invalid_metadata/);
    expect(exitCodeOf({ callId: "c", workerJoined: true })).toBe(1);
  });
});
