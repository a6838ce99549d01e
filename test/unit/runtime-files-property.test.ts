import fc from "fast-check";
import { renderRuntimeFiles, type RuntimeInput } from "../../components/runtime-config";
import { expectedView, hostileText, renderedView } from "../utils/render-properties";
import { productionRuntimeInput } from "../utils/runtime-input";

type Mutation = { field: string; names: RegExp; apply: (input: RuntimeInput) => RuntimeInput };

const text = (field: "domain" | "staticIp" | "apiKey" | "apiSecret" | "logLevel", names: RegExp) =>
  hostileText.map((value): Mutation => ({ field, names, apply: (input) => ({ ...input, [field]: value }) }));

const version = (name: keyof RuntimeInput["versions"]) =>
  hostileText.map((value): Mutation => ({ field: `versions.${name}`, names: /version/i, apply: (input) => ({ ...input, versions: { ...input.versions, [name]: value } }) }));

const portValue = fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.double({ noNaN: false }), fc.constantFrom(0, 65535, 65536, 1.5, Number.NaN));
const port = (name: keyof RuntimeInput["ports"], names: RegExp) =>
  fc.tuple(portValue, fc.boolean()).map(([value, turnEnabled]): Mutation => ({
    field: `ports.${name}`,
    names,
    apply: (input) => ({ ...input, turnEnabled, ports: { ...input.ports, [name]: value } }),
  }));

const mutations = fc.oneof(
  text("domain", /DOMAIN/),
  text("staticIp", /staticIp/),
  text("apiKey", /apiKey/),
  text("apiSecret", /apiSecret/),
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

describe("renderRuntimeFiles on any value of any input", () => {
  it("either refuses it naming the field, or renders the reviewed structure holding exactly the value", () => {
    fc.assert(
      fc.property(mutations, (mutation) => {
        const input = mutation.apply(productionRuntimeInput());
        let files;
        try {
          files = renderRuntimeFiles(input);
        } catch (error) {
          expect(String(error)).toMatch(mutation.names);
          return;
        }
        expect(renderedView(files, input)).toEqual(expectedView(input));
      }),
      { numRuns: 500 },
    );
  });

  it("writes a YAML 1.2 octal lookalike such as 0o17 quoted, so Go reads the same API key back", () => {
    const input = productionRuntimeInput({ apiKey: "0o17" });
    expect(renderedView(renderRuntimeFiles(input), input)).toEqual(expectedView(input));
  });
});
