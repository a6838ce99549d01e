import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { livekitHttpUrl } from "../../src/livekit-http-url.ts";

describe("livekitHttpUrl", () => {
  it("turns the signalling URL into the API's HTTP(S) origin", () => {
    assert.equal(livekitHttpUrl("ws://127.0.0.1:7880"), "http://127.0.0.1:7880");
    assert.equal(livekitHttpUrl("wss://voice.example.com"), "https://voice.example.com");
  });

  it("keeps an http(s) URL and drops any path", () => {
    assert.equal(livekitHttpUrl("https://voice.example.com/"), "https://voice.example.com");
    assert.equal(livekitHttpUrl("http://localhost:7880/rtc"), "http://localhost:7880");
  });
});
