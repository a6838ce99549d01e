import fc from "fast-check";
import { parse } from "yaml";
import { livekitKeysEnvironment, renderLivekitKeysEnv } from "../../../../components/runtime-config";
import { envVariables } from "../../../utils/render-properties";

const secret = "0123456789abcdefghijklmnopqrstuvwxyzABCD";

describe("the LiveKit key pair's environment", () => {
  it("gives livekit-server LIVEKIT_KEYS as one YAML line and livekit-sip the pair as its own variables", () => {
    expect(livekitKeysEnvironment({ apiKey: "APIprodkey", apiSecret: secret })).toEqual({
      LIVEKIT_KEYS: `APIprodkey: ${secret}`,
      LIVEKIT_API_KEY: "APIprodkey",
      LIVEKIT_API_SECRET: secret,
    });
  });

  it("quotes a key or secret YAML would read as another type, so livekit-server keeps the pair", () => {
    const keys = livekitKeysEnvironment({ apiKey: "0o17", apiSecret: `0o${"7".repeat(30)}` }).LIVEKIT_KEYS;
    for (const version of ["1.1", "1.2"] as const) expect(parse(keys, { version })).toEqual({ "0o17": `0o${"7".repeat(30)}` });
  });

  it("writes every key and secret of the config's formats so compose reads them back exactly", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/), fc.stringMatching(/^[A-Za-z0-9_.:/+=@-]{32,128}$/), (apiKey, apiSecret) => {
        const read = envVariables(renderLivekitKeysEnv({ apiKey, apiSecret }));
        expect(read).toEqual(livekitKeysEnvironment({ apiKey, apiSecret }));
        expect(parse(read.LIVEKIT_KEYS, { version: "1.2" })).toEqual({ [apiKey]: apiSecret });
      }),
    );
  });

  it("lists every invalid input in one error, never the secret", () => {
    const shortSecret = "tooShortSecret";
    const render = () => livekitKeysEnvironment({ apiKey: "API key", apiSecret: shortSecret });
    expect(render).toThrow(
      [
        "Cannot render the LiveKit key pair:",
        '- apiKey is "API key"; expected letters, digits, "_", "-" or "." (as `livekit-server generate-keys` makes)',
        "- apiSecret has 14 characters; expected at least 32 (livekit-server flags shorter secrets as insecure)",
      ].join("\n"),
    );
    expect(render).not.toThrow(shortSecret);
  });

  it("refuses a secret compose's env-file parser would not read back literally, naming the variables only", () => {
    const hostile = `${"x".repeat(32)}'$HOME\\`;
    const render = () => renderLivekitKeysEnv({ apiKey: "APIprodkey", apiSecret: hostile });
    expect(render).toThrow(/LIVEKIT_KEYS, LIVEKIT_API_SECRET hold a quote, a backslash or a control character/);
    expect(render).not.toThrow(hostile);
  });
});
