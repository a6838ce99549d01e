import fc from "fast-check";
import type { LivekitKeys, RuntimeInput } from "../../../../components/runtime-config";
import { expectedView, hostileText, renderAllFiles, renderedView } from "../../../utils/render-properties";
import { productionKeys, productionRuntimeInput } from "../../../utils/runtime-input";

/** What the RuntimeConfig component renders from: the plain input and the key pair. */
type Rendering = { input: RuntimeInput; keys: LivekitKeys };
type Mutation = { field: string; names: RegExp; apply: (rendering: Rendering) => Rendering };

const text = (field: "domain" | "staticIp" | "logLevel", names: RegExp) =>
  hostileText.map((value): Mutation => ({ field, names, apply: ({ input, keys }) => ({ input: { ...input, [field]: value }, keys }) }));

const key = (field: keyof LivekitKeys, names: RegExp) =>
  hostileText.map((value): Mutation => ({ field, names, apply: ({ input, keys }) => ({ input, keys: { ...keys, [field]: value } }) }));

const version = (name: keyof RuntimeInput["versions"]) =>
  hostileText.map(
    (value): Mutation => ({
      field: `versions.${name}`,
      names: /version/i,
      apply: ({ input, keys }) => ({ input: { ...input, versions: { ...input.versions, [name]: value } }, keys }),
    }),
  );

const portValue = fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.double({ noNaN: false }), fc.constantFrom(0, 65535, 65536, 1.5, Number.NaN));
const port = (name: keyof RuntimeInput["ports"], names: RegExp) =>
  fc.tuple(portValue, fc.boolean()).map(([value, turnEnabled]): Mutation => ({
    field: `ports.${name}`,
    names,
    apply: ({ input, keys }) => ({ input: { ...input, turnEnabled, ports: { ...input.ports, [name]: value } }, keys }),
  }));

const mutations = fc.oneof(
  // The SIP host name under secure trunking is sip.<domain>: the SIP config refuses it first.
  text("domain", /DOMAIN|tls\.hostname/),
  text("staticIp", /staticIp/),
  key("apiKey", /apiKey|quote, a backslash/),
  key("apiSecret", /apiSecret|quote, a backslash/),
  text("logLevel", /logLevel/),
  version("livekitServer"),
  version("livekitSip"),
  version("redis"),
  version("caddy"),
  port("rtcTcp", /rtc\.tcpPort/),
  port("rtcUdp", /rtc\.udpPort/),
  port("sip", /sipPort/),
  port("rtpStart", /rtpPorts/),
  port("rtpEnd", /rtpPorts/),
  port("turnUdp", /turn\.udpPort/),
);

describe("the runtime files on any value of any input", () => {
  it("either refuses it naming the field, or renders the reviewed structure holding exactly the value", () => {
    fc.assert(
      fc.property(mutations, (mutation) => {
        const { input, keys } = mutation.apply({ input: productionRuntimeInput(), keys: productionKeys() });
        let files;
        try {
          files = renderAllFiles(input, keys);
        } catch (error) {
          expect(String(error)).toMatch(mutation.names);
          return;
        }
        expect(renderedView(files, input)).toEqual(expectedView(input, keys));
      }),
      { numRuns: 500 },
    );
  });

  it("writes a YAML 1.2 octal lookalike such as 0o17 quoted, so Go reads the same API key back", () => {
    const input = productionRuntimeInput();
    const keys = productionKeys({ apiKey: "0o17" });
    expect(renderedView(renderAllFiles(input, keys), input)).toEqual(expectedView(input, keys));
  });
});
