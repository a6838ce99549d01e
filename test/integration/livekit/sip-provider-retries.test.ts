import { staticProviderConfig } from "../../../providers/base";
import { outboundTrunkProvider, type OutboundTrunkInputs } from "../../../providers/livekit";
import { freePort } from "../../harness/ports";
import { type ScriptedHttpServer, startScriptedHttpServer } from "../../utils/scripted-http-server";

// The retries a LiveKit provider call makes, through the real livekit-server-sdk client and the
// provider base, against a loopback server scripted to fail as a restarting host or an
// overloaded proxy would. (The real livekit-server is in sip-provider-failures.test.ts.)

jest.setTimeout(60_000);

const apiSecret = "LiveKitRetrySecretLiveKitRetrySecret01";
const authPassword = "Sip-Passw0rd-Retry";
const trunkInfo = { sipTrunkId: "ST_retried", name: "retried", address: "agent-studio-test.pstn.twilio.com", numbers: ["+15005550006"], authUsername: "livekit", authPassword };

let server: ScriptedHttpServer;
let logged: string[];
let logSpy: jest.SpyInstance;
let debugSpy: jest.SpyInstance;

beforeAll(async () => {
  server = await startScriptedHttpServer();
  await outboundTrunkProvider.configure({
    config: staticProviderConfig({ "agent-studio-voice:livekitApiKey": "APIretry", "agent-studio-voice:livekitApiSecret": apiSecret }, "agent-studio-voice"),
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  logged = [];
  // The provider log (console.error, which the engine records) and the SDK's debug lines.
  logSpy = jest.spyOn(console, "error").mockImplementation((line: unknown) => void logged.push(String(line)));
  debugSpy = jest.spyOn(console, "debug").mockImplementation((line: unknown) => void logged.push(String(line)));
});
afterEach(() => {
  logSpy.mockRestore();
  debugSpy.mockRestore();
});

function inputs(url: string): OutboundTrunkInputs {
  return { url, name: "retried", address: trunkInfo.address, numbers: trunkInfo.numbers, authUsername: "livekit", authPassword };
}

/** Neither the API secret, the trunk password nor a signed token in any log line or error. */
function expectNoSecrets(text: string): void {
  expect(text).not.toContain(apiSecret);
  expect(text).not.toContain(authPassword);
  expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
}

describe("LiveKit SIP provider retries", () => {
  it("retries 503 and 429 answers, then creates the trunk, logging each retry without a secret", async () => {
    let calls = 0;
    server.answer(() => {
      calls += 1;
      if (calls === 1) return { status: 503, body: '{"code":"unavailable","msg":"restarting"}' };
      if (calls === 2) return { status: 429, body: '{"code":"resource_exhausted","msg":"slow down"}' };
      return { status: 200, body: JSON.stringify(trunkInfo) };
    });
    const created = await outboundTrunkProvider.create(inputs(server.baseUrl));
    expect(created.id).toBe("ST_retried");
    expect(server.requests.map((r) => r.url)).toEqual(Array(3).fill("/twirp/livekit.SIP/CreateSIPOutboundTrunk"));
    const retries = logged.filter((line) => line.includes("retrying in"));
    expect(retries).toEqual([
      expect.stringMatching(/^create outbound trunk "retried": .*; retrying in \d+ ms \(attempt 2 of 5\)$/),
      expect.stringMatching(/^create outbound trunk "retried": .*; retrying in \d+ ms \(attempt 3 of 5\)$/),
    ]);
    expectNoSecrets(logged.join("\n"));
  });

  it("gives up after five 5xx answers with one error naming the resource, the status and the attempts", async () => {
    server.answer(() => ({ status: 502, body: "<html>bad gateway</html>", headers: { "content-type": "text/html" } }));
    const failure = await outboundTrunkProvider.create(inputs(server.baseUrl)).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    const error = failure as Error;
    expect(error.message).toMatch(/^LiveKit SIP outbound trunk "retried": create failed: LiveKit at http:\/\/127\.0\.0\.1:\d+ answered HTTP 502: .*\(gave up after 5 attempts\)$/);
    expect(server.requests).toHaveLength(5);
    expectNoSecrets(`${error.message}\n${error.stack}\n${logged.join("\n")}`);
  });

  it("retries a refused connection (the host restarting), naming it when the API never comes back", async () => {
    const closed = `http://127.0.0.1:${await freePort("tcp")}`;
    const failure = await outboundTrunkProvider.read("ST_retried", { ...inputs(closed), ...trunkInfo }).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(
      /^LiveKit SIP outbound trunk "retried": read failed: could not reach the LiveKit API at http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED .*\(gave up after 5 attempts\)$/,
    );
    expect(logged.filter((line) => line.includes("retrying in"))).toHaveLength(4);
  });

  it("does not retry a refused credential", async () => {
    server.answer(() => ({ status: 401, body: '{"code":"unauthenticated","msg":"invalid token"}' }));
    await expect(outboundTrunkProvider.create(inputs(server.baseUrl))).rejects.toThrow(/refused the API credentials \(HTTP 401/);
    expect(server.requests).toHaveLength(1);
  });
});
