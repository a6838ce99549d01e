import { ServerError } from "livekit-server-sdk";
import { classifyLiveKitFailure, explainLiveKitFailure, withoutTokens } from "../../../../providers/livekit/livekit-api";

const url = "https://voice.example.com";
const fetchFailure = (code: string, message: string) =>
  Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(message), { code }) });

describe("LiveKit API failures", () => {
  it("turns a refused API secret into the config keys to fix, without the echoed token", () => {
    const refused = new ServerError(
      "Unauthorized",
      "invalid token: eyJhbGciOiJIUzI1NiJ9.eyJzaXAiOnsiYWRtaW4iOnRydWV9fQ.j4LKp6-O3Accw64eUecx, error: token signature is invalid",
      401,
    );
    const explained = explainLiveKitFailure(refused, url);
    expect(explained.status).toBe(401);
    expect(explained.message).toBe(
      "LiveKit at https://voice.example.com refused the API credentials (HTTP 401: invalid token: [access token], error: token " +
        "signature is invalid). The stack config livekitApiKey/livekitApiSecret must match the key pair livekit-server runs " +
        "with; fix them with `pulumi config set --secret livekitApiSecret <value>` and redeploy.",
    );
  });

  it("says a resource deleted outside Pulumi needs a refresh, keeping the 404 for read and delete", () => {
    const explained = explainLiveKitFailure(new ServerError("Not Found", "requested sip trunk does not exist", 404), url);
    expect(explained.status).toBe(404);
    expect(explained.message).toMatch(/deleted outside Pulumi\. Run `pulumi refresh`/);
  });

  it("tells a reply that is not LiveKit's apart from an unreachable server", () => {
    const garbled = explainLiveKitFailure(new SyntaxError("Unexpected end of JSON input"), url);
    expect(garbled.message).toBe(
      "LiveKit at https://voice.example.com answered with a response that is not a LiveKit API reply (Unexpected end of JSON " +
        "input). Check that the URL reaches livekit-server itself (Caddy proxies https://<domain> to it) and that the deployment is healthy.",
    );
    expect(explainLiveKitFailure(fetchFailure("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:7880"), url).message).toMatch(
      /^could not reach the LiveKit API at https:\/\/voice\.example\.com: connect ECONNREFUSED/,
    );
  });

  it("names the network failure when the API cannot be reached", () => {
    const explained = explainLiveKitFailure(fetchFailure("ECONNREFUSED", "connect ECONNREFUSED 203.0.113.7:443"), url);
    expect(explained.status).toBeUndefined();
    expect(explained.message).toMatch(/^could not reach the LiveKit API at https:\/\/voice\.example\.com: connect ECONNREFUSED/);
  });

  it("retries throttling, server errors, timeouts and dropped connections, nothing else", () => {
    expect(classifyLiveKitFailure(new ServerError("Too Many Requests", "slow down", 429)).retry).toBe(true);
    expect(classifyLiveKitFailure(new ServerError("Bad Gateway", "", 502)).retry).toBe(true);
    expect(classifyLiveKitFailure(fetchFailure("ECONNREFUSED", "connect ECONNREFUSED")).retry).toBe(true);
    expect(classifyLiveKitFailure(Object.assign(new Error("timed out"), { name: "TimeoutError" })).retry).toBe(true);
    expect(classifyLiveKitFailure(new ServerError("Unauthorized", "invalid API key", 401)).retry).toBe(false);
    expect(classifyLiveKitFailure(new ServerError("Bad Request", "conflict", 400)).retry).toBe(false);
    expect(classifyLiveKitFailure(fetchFailure("ENOTFOUND", "getaddrinfo ENOTFOUND")).retry).toBe(false);
  });

  it("replaces every JWT in a text", () => {
    expect(withoutTokens("a eyJx.eyJy.sig b eyJh.eyJi.c2")).toBe("a [access token] b [access token]");
  });
});
