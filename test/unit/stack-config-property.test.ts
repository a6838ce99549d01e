import fc from "fast-check";
import { formatProblems, validateStackConfig, type ValidatedConfig } from "../../components/config";
import { renderRuntimeFiles } from "../../components/runtime-config";
import { key, rawConfig, secretKeys, validRawValues } from "../utils/config-fixtures";
import { expectedView, hostileText, renderedView, runtimeInputOf } from "../utils/render-properties";

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

const staticIp = fc.ipV4();

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
          expect(problem.fix).toMatch(/^pulumi config set /);
          if (declaredSecrets.includes(problem.key)) expect(["[secret]", "[given in clear text]", "(not set)"]).toContain(problem.found);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe("any config validateStackConfig accepts", () => {
  // Values valid for the validator, drawn to include what YAML 1.1 would read as something else
  // (yes, on, null, 1e3, 0x1F, 1:20, leading dashes, = and / in secrets).
  const yamlLookalikes = ["yes", "on", "off", "null", "true", "1e3", "0x1F", "0o17", "1_000", "123", "-1", "1:20"];
  const apiKey = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{3,64}$/), fc.constantFrom(...yamlLookalikes.filter((v) => /^[A-Za-z0-9_-]{3,64}$/.test(v))));
  const apiSecret = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_+/=-]{32,128}$/), fc.constantFrom("0".repeat(32), "-".repeat(40), `${"1".repeat(31)}e`, "=".repeat(32)));
  const version = fc.stringMatching(/^v?\d{1,3}\.\d{1,3}\.\d{1,3}(-[a-z0-9]{1,8})?$/);
  const config = fc.record({
    domain: fc.domain().filter((d) => /^[a-z0-9.-]+$/.test(d) && /\.[a-z]/.test(d)),
    livekitApiKey: apiKey,
    livekitApiSecret: apiSecret,
    logLevel: fc.constantFrom("debug", "info", "warn", "error"),
    turnEnabled: fc.boolean().map(String),
    rtcTcpPort: fc.integer({ min: 1024, max: 9999 }),
    rtcUdpPort: fc.integer({ min: 1024, max: 9999 }),
    sipPort: fc.integer({ min: 1024, max: 9999 }),
    rtpPortStart: fc.integer({ min: 10000, max: 40000 }),
    rtpWidth: fc.integer({ min: 1, max: 20000 }),
    livekitServerVersion: version,
    redisVersion: version,
  });

  it("renders livekit.yaml, the SIP config, the Caddyfile and the compose file with a fixed structure holding exactly its values", () => {
    let accepted = 0;
    fc.assert(
      fc.property(config, staticIp, (c, ip) => {
        const { rtpWidth, rtcTcpPort, rtcUdpPort, sipPort, rtpPortStart, ...strings } = c;
        const overrides: Record<string, string> = {
          ...Object.fromEntries(Object.entries(strings).map(([k, v]) => [key(k), v])),
          [key("rtcTcpPort")]: String(rtcTcpPort),
          [key("rtcUdpPort")]: String(rtcUdpPort),
          [key("sipPort")]: String(sipPort),
          [key("rtpPortStart")]: String(rtpPortStart),
          [key("rtpPortEnd")]: String(rtpPortStart + rtpWidth),
        };
        const result = validateStackConfig(rawConfig(overrides), "prod");
        fc.pre(result.ok);
        accepted++;
        const validated = (result as { config: ValidatedConfig }).config;
        const input = runtimeInputOf(validated, ip);
        expect(renderedView(renderRuntimeFiles(input), input)).toEqual(expectedView(input));
      }),
      { numRuns: 300 },
    );
    // The property is about accepted configs; most generated ones must be.
    expect(accepted).toBeGreaterThan(150);
  });
});
