import * as path from "node:path";
import { type DefinedProvider, staticProviderConfig } from "../../../../providers/base";
import { outboundTrunkProvider, type OutboundTrunkInputs } from "../../../../providers/livekit";
import { type TrunkInputs, trunkProvider } from "../../../../providers/twilio/trunk";
import { type ScriptedHttpServer, type ScriptedResponse, startScriptedHttpServer } from "../../../utils/scripted-http-server";

// What the engine's dynamic-provider server does with a provider's result
// (@pulumi/pulumi/cmd/dynamic-provider/index.js): the properties become a protobuf Struct, and
// the engine refuses a created resource with an empty ID. Resolved from the SDK so it is the same copy.
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));

/** The state entry the engine would record from a provider result, or the error it would stop with. */
function engineRecord(result: { id?: string; outs?: object; props?: object }): { id: string; properties: unknown } {
  if (result.outs !== undefined && !result.id) throw new Error("provider did not return an ID from Create");
  return { id: result.id ?? "", properties: Struct.fromJavaScript(result.outs ?? result.props ?? {}).toJavaScript() };
}

const authToken = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
const sipPassword = "Sip-Passw0rd-One";
const apiSecret = "LiveKitApiSecretLiveKitApiSecret0123";

/** One provider under test: how to configure it against the scripted server, and what it exchanges. */
interface Case<I extends object> {
  kind: string;
  provider: DefinedProvider<I, I & Record<string, unknown>>;
  configure(server: ScriptedHttpServer): Promise<void>;
  inputs(server: ScriptedHttpServer): I;
  id: string;
  /** A well-formed create response and read response. */
  created: string;
  read: string;
  /** Secrets that must never appear in an error. */
  secrets: string[];
}

const trunkJson = {
  sid: "TK0123456789abcdef0123456789abcdef",
  account_sid: "AC0123456789abcdef0123456789abcdef",
  friendly_name: "malformed",
  domain_name: "malformed.pstn.twilio.com",
  secure: false,
  cnam_lookup_enabled: false,
  transfer_mode: "disable-all",
  disaster_recovery_url: null,
  disaster_recovery_method: null,
};

const twilio: Case<TrunkInputs> = {
  kind: 'Twilio SIP trunk "malformed.pstn.twilio.com"',
  provider: trunkProvider as unknown as Case<TrunkInputs>["provider"],
  configure: (server) =>
    trunkProvider.configure({
      config: staticProviderConfig(
        {
          "agent-studio-voice:twilioAccountSid": trunkJson.account_sid,
          "agent-studio-voice:twilioAuthToken": authToken,
          "agent-studio-voice:twilioApiBaseUrl": server.baseUrl,
        },
        "agent-studio-voice",
      ),
    }),
  inputs: () => ({ friendlyName: "malformed", domainName: "malformed.pstn.twilio.com", secure: false, cnamLookupEnabled: false, transferMode: "disable-all" }),
  id: trunkJson.sid,
  created: JSON.stringify(trunkJson),
  read: JSON.stringify(trunkJson),
  secrets: [authToken],
};

const trunkInfo = { sipTrunkId: "ST_malformed", name: "malformed", address: "malformed.pstn.twilio.com", numbers: ["+15005550006"], authUsername: "livekit", authPassword: sipPassword };

const livekit: Case<OutboundTrunkInputs> = {
  kind: 'LiveKit SIP outbound trunk "malformed"',
  provider: outboundTrunkProvider as unknown as Case<OutboundTrunkInputs>["provider"],
  configure: () =>
    outboundTrunkProvider.configure({
      config: staticProviderConfig({ "agent-studio-voice:livekitApiKey": "APImalformed", "agent-studio-voice:livekitApiSecret": apiSecret }, "agent-studio-voice"),
    }),
  inputs: (server) => ({ url: server.baseUrl, name: "malformed", address: "malformed.pstn.twilio.com", numbers: ["+15005550006"], authUsername: "livekit", authPassword: sipPassword }),
  id: trunkInfo.sipTrunkId,
  created: JSON.stringify(trunkInfo),
  read: JSON.stringify({ items: [trunkInfo] }),
  secrets: [apiSecret, sipPassword],
};

describe.each([
  ["Twilio trunk", twilio],
  ["LiveKit outbound trunk", livekit],
] as [string, Case<object>][])("%s provider on malformed API responses", (_name, c) => {
  let server: ScriptedHttpServer;
  let debug: jest.SpyInstance;
  beforeAll(async () => {
    // livekit-server-sdk logs each unparseable error body at debug level; the assertions cover it.
    debug = jest.spyOn(console, "debug").mockImplementation(() => undefined);
    server = await startScriptedHttpServer();
    await c.configure(server);
  });
  afterAll(async () => {
    debug.mockRestore();
    await server.close();
  });

  const answer = (response: ScriptedResponse) => {
    server.requests.length = 0;
    server.answer(() => response);
  };

  /** The provider's rejection, checked to be clear and to carry nothing the engine would record as a half-created resource. */
  async function rejection(operation: Promise<unknown>, verb: string): Promise<Error & { status?: number }> {
    const error = await operation.then(
      () => {
        throw new Error(`expected ${verb} to fail`);
      },
      (e: Error & { status?: number }) => e,
    );
    expect(error.message.startsWith(`${c.kind}: ${verb} failed: `)).toBe(true);
    // An error with an `id` becomes an "initialization failed" state entry (grpcResponseFromError).
    expect(error).not.toHaveProperty("id");
    for (const secret of c.secrets) expect(`${error.message}\n${error.stack}`).not.toContain(secret);
    return error;
  }

  it.each([
    ["truncated JSON", { status: 200, body: c.created.slice(0, 30) }],
    ["an HTML page with status 200", { status: 200, body: `<html>proxy error ${sipPassword}</html>`, headers: { "content-type": "text/html" } }],
    ["JSON null", { status: 200, body: "null" }],
  ])("create refuses %s with an error naming the resource, never a state entry", async (_what, response) => {
    answer(response as ScriptedResponse);
    const error = await rejection(c.provider.create(c.inputs(server)), "create");
    expect(error.message).toMatch(/JSON|null/);
  });

  it.each([418, 400, 409])("create stops at an unexpected status %i with a truncated body, without retrying", async (status) => {
    answer({ status, body: '{"code": 20001, "message": "trunc' });
    const error = await rejection(c.provider.create(c.inputs(server)), "create");
    expect(error.message).toContain(String(status));
    expect(error.status).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ["truncated JSON", { status: 200, body: c.created.slice(0, 30) }],
    ["an unexpected status with a truncated body", { status: 418, body: '{"code": 20001, "message": "trunc' }],
  ])("update refuses %s with an error naming the resource, so the engine keeps the old state", async (_what, response) => {
    answer(response as ScriptedResponse);
    const inputs = c.inputs(server);
    await rejection(c.provider.update(c.id, inputs as never, inputs), "update");
  });

  it("read refuses truncated JSON instead of reporting the resource gone, so refresh keeps its state", async () => {
    answer({ status: 200, body: c.read.slice(0, 25) });
    await rejection(c.provider.read(c.id, c.inputs(server) as never), "read");
  });

  it("read reports a 404 as gone and delete takes it as done, whatever the body", async () => {
    answer({ status: 404, body: "<html>not found", headers: { "content-type": "text/html" } });
    expect(await c.provider.read(c.id, c.inputs(server) as never)).toEqual({});
    await expect(c.provider.delete(c.id, c.inputs(server) as never)).resolves.toBeUndefined();
  });

  it("create with a well-formed response gives a state entry the engine can record", async () => {
    answer({ status: 201, body: c.created });
    expect(engineRecord(await c.provider.create(c.inputs(server)))).toMatchObject({ id: c.id });
  });

  it("create refuses a 2xx response without an ID with a clear error", async () => {
    answer({ status: 201, body: "{}" });
    await rejection(c.provider.create(c.inputs(server)), "create");
  });

  it("read of a well-formed response gives properties the engine can record", async () => {
    answer({ status: 200, body: c.read });
    expect(engineRecord((await c.provider.read(c.id, c.inputs(server) as never)) as { id?: string; props?: object })).toMatchObject({ id: c.id });
  });
});
