import fc from "fast-check";
import { livekitKeysEnvironment } from "../../components/runtime-config";
import { toGoYaml } from "../../components/runtime-config/go-yaml";
import { renderSipConfig } from "../../components/runtime-config/sip-config";
import { readYamlWithGo } from "../harness/go-yaml";
import { hostileText } from "../utils/render-properties";

// Go's own gopkg.in/yaml.v3 (the reader of livekit-server and livekit-sip) is the judge here: the
// unit tests read the same files with the JavaScript yaml library in YAML 1.1 and 1.2, which agree
// with Go on structure but not on every character (control characters, NEL, LS and PS).

/** Characters YAML gives a meaning: breaks, quotes, indicators, escapes, typed lookalikes. */
const yamlBreakers = fc.constantFrom(
  "\n", "\r", " ", "\t", ":", ": ", "'", '"', "#", " #", "&a", "*a", "!", "%", "@", "`", "{", "}", "[", "]", "|", ">", "- ", "?", ",", "\\",
  "~", "yes", "on", "null", "0x1F", "0o17", "1:20", "<<", "---", "...", "\u0000", "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "é", "😀",
);
const anyText = fc.oneof(
  fc.string({ unit: yamlBreakers, maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  hostileText,
);

function goValue(text: string): unknown {
  const reading = readYamlWithGo(text);
  if ("error" in reading) {
    throw new Error(`yaml.v3 refused:\n${text}\n${reading.error}`);
  }
  return reading.value;
}

describe("toGoYaml as Go's yaml.v3 reads it", () => {
  it("refuses what Go refuses, so the judge can fail (a raw control character)", () => {
    expect(readYamlWithGo("key: a\u007fb\n")).toEqual({ error: expect.stringContaining("control characters are not allowed") });
  });

  it("writes any string, as a value or a map key, so that Go reads exactly that string back", () => {
    fc.assert(
      fc.property(anyText, anyText, (key, value) => {
        expect(goValue(toGoYaml({ [key]: value, list: [value] }))).toEqual({ [key]: value, list: [value] });
      }),
      { numRuns: 300 },
    );
  });

  it("keeps numbers and booleans typed", () => {
    expect(goValue(toGoYaml({ port: 7880, share: 0.9, on: true, off: false }))).toEqual({ port: 7880, share: 0.9, on: true, off: false });
  });

  it("writes LIVEKIT_KEYS and the SIP config so that Go reads back the very secrets and passwords given", () => {
    const secret = fc.oneof(fc.string({ unit: yamlBreakers, minLength: 32 }), fc.string({ unit: "binary", minLength: 32 }));
    fc.assert(
      fc.property(secret, fc.option(secret, { nil: undefined }), (apiSecret, password) => {
        expect(goValue(livekitKeysEnvironment({ apiKey: "APItestkey", apiSecret }).LIVEKIT_KEYS)).toEqual({ APItestkey: apiSecret });
        const sip = goValue(
          renderSipConfig({
            wsUrl: "ws://127.0.0.1:7880",
            redis: { address: "127.0.0.1:6379", password },
            sipPort: 5060,
            rtpPorts: { start: 10000, end: 20000 },
            publicAddress: { useExternalIp: true },
            logLevel: "info",
          }),
        ) as { redis: { password?: string } };
        expect(sip.redis.password).toBe(password);
      }),
      { numRuns: 150 },
    );
  });
});
