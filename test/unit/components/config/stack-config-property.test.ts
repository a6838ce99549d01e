import fc from "fast-check";
import { formatProblems, validateStackConfig } from "../../../../components/config";
import { key, rawConfig, secretKeys, validRawValues } from "../../../utils/config-fixtures";
import {
  acceptedConfig,
  configOverrides,
  expectedView,
  hostileText,
  keysOf,
  renderAllFiles,
  renderedView,
  runtimeInputOf,
} from "../../../utils/render-properties";

const portKeys = ["rtcTcpPort", "rtcUdpPort", "sipPort", "rtpPortStart", "rtpPortEnd", "turnUdpPort"].map(key);
const twilioAuthKeys = ["twilioAuthToken", "twilioApiKeySid", "twilioApiKeySecret"].map(key);
const declaredSecrets = ["livekitApiSecret", "twilioAuthToken", "twilioApiKeySecret", "sipPassword"].map(key);

/** Keys whose problem a bad value of `k` may surface as: itself, or the keys it is checked against. */
function relatedKeys(k: string): string[] {
  if (k === "gcp:region" || k === "gcp:zone") return ["gcp:region", "gcp:zone"];
  if (portKeys.includes(k)) return portKeys;
  if (twilioAuthKeys.includes(k)) return twilioAuthKeys;
  return [k];
}

/** Every key the program reads: the fixture's required ones and the optional ones. */
const configKeys = [
  ...Object.keys(validRawValues()),
  ...["machineType", "diskSizeGb", "dnsManagedZone", "logLevel", "turnEnabled", "carrierSignalingCidrs", "carrierMediaCidrs"].map(key),
  ...["livekitServerVersion", "livekitSipVersion", "redisVersion", "caddyVersion", "twilioApiKeySid", "twilioApiKeySecret"].map(key),
  ...portKeys,
];

/** A value for `k`: its valid value, hostile text around it, or hostile text alone (lists too). */
function valueFor(k: string): fc.Arbitrary<string> {
  const valid = validRawValues()[k] ?? "1";
  return fc.oneof(
    hostileText,
    fc.tuple(hostileText, fc.boolean()).map(([h, before]) => (before ? `${h}${valid}` : `${valid}${h}`)),
    fc.array(hostileText, { maxLength: 3 }).map((items) => JSON.stringify(items)),
    fc.integer({ min: -1, max: 70000 }).map(String),
  );
}

describe("validateStackConfig on any value of any key", () => {
  it("either accepts the config, or rejects it naming the bad key (or the key it clashes with), never echoing a secret", () => {
    const mutation = fc.constantFrom(...configKeys).chain((k) => fc.tuple(fc.constant(k), valueFor(k)));
    fc.assert(
      fc.property(mutation, fc.boolean(), ([k, value], asSecret) => {
        const secrets = asSecret ? [...secretKeys, k] : secretKeys;
        const result = validateStackConfig(rawConfig({ [k]: value }, secrets), "prod");
        if (result.ok) return;
        expect(result.problems.length).toBeGreaterThan(0);
        const report = formatProblems("prod", result.problems);
        for (const problem of result.problems) {
          expect(relatedKeys(k)).toContain(problem.key);
          expect(report).toContain(`  - ${problem.key} = `);
          expect(problem.fix).toMatch(/^pulumi config (set|rm) /);
          if (declaredSecrets.includes(problem.key)) expect(["[secret]", "[given in clear text]", "(not set)"]).toContain(problem.found);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe("any config validateStackConfig accepts", () => {
  it("renders livekit.yaml, the SIP config, the key pair's env file, the Caddyfile and the compose file with a fixed structure holding exactly its values", () => {
    let accepted = 0;
    fc.assert(
      fc.property(configOverrides, fc.ipV4(), (overrides, staticIp) => {
        const config = acceptedConfig(overrides);
        fc.pre(config !== undefined);
        accepted++;
        const input = runtimeInputOf(config!, staticIp);
        expect(renderedView(renderAllFiles(input, keysOf(config!)), input)).toEqual(expectedView(input, keysOf(config!)));
      }),
      { numRuns: 300 },
    );
    // The property is about accepted configs; most generated ones must be.
    expect(accepted).toBeGreaterThan(150);
  });
});
