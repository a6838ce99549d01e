import fc from "fast-check";
import { configFields, formatProblems, twilioMediaCidrs, twilioSignalingCidrs, validateStackConfig, type ConfigProblem } from "../../../../components/config";
import { versions } from "../../../../components/versions";
import { key, rawConfig, secretKeys } from "../../../utils/config-fixtures";

function problemsOf(overrides: Record<string, string | undefined>, secrets = secretKeys): ConfigProblem[] {
  const result = validateStackConfig(rawConfig(overrides, secrets), "test");
  if (result.ok) throw new Error("expected validation to fail");
  return result.problems;
}

function onlyProblem(overrides: Record<string, string | undefined>, secrets = secretKeys): ConfigProblem {
  const problems = problemsOf(overrides, secrets);
  expect(problems).toHaveLength(1);
  return problems[0];
}

describe("validateStackConfig", () => {
  it("accepts a complete config and fills every default", () => {
    const result = validateStackConfig(rawConfig(), "test");
    if (!result.ok) throw new Error(formatProblems("test", result.problems));
    expect(result.config).toMatchObject({
      stack: "test",
      domain: "voice.example.com",
      gcp: { project: "agent-studio-voice-test", region: "us-central1", zone: "us-central1-a" },
      machineType: "n2-standard-4",
      diskSizeGb: 30,
      logLevel: "info",
      ports: { rtcTcp: 7881, rtcUdp: 7882, sip: 5060, rtpStart: 10000, rtpEnd: 20000, turnUdp: 3478 },
      turn: { enabled: false },
      carrier: { signalingCidrs: [...twilioSignalingCidrs], mediaCidrs: [...twilioMediaCidrs] },
      versions: { livekitServer: versions.livekitServer, livekitSip: versions.livekitSip, redis: versions.redis, caddy: versions.caddy },
      twilio: { auth: { kind: "authToken", authToken: "0123456789abcdef0123456789abcdef" } },
      sip: { username: "livekit-test", password: "Sip-Passw0rd-Test" },
    });
    expect(result.config.dnsManagedZone).toBeUndefined();
  });

  it("names the key, the value, the expectation and the fix command in one line", () => {
    const problem = onlyProblem({ [key("diskSizeGb")]: "ten" });
    expect(problem).toEqual({
      key: "agent-studio-voice:diskSizeGb",
      found: '"ten"',
      expected: "the boot disk size in GB, a whole number from 20 to 2000",
      fix: "pulumi config set agent-studio-voice:diskSizeGb 30 --stack test",
    });
    expect(formatProblems("test", [problem])).toBe(
      'Stack "test" config has 1 problem:\n' +
        '  - agent-studio-voice:diskSizeGb = "ten": expected the boot disk size in GB, a whole number from 20 to 2000. ' +
        "Fix: pulumi config set agent-studio-voice:diskSizeGb 30 --stack test",
    );
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ [key("domain")]: "Not A Domain", [key("logLevel")]: "loud", "gcp:project": undefined });
    expect(problems.map((p) => p.key)).toEqual(["agent-studio-voice:domain", "gcp:project", "agent-studio-voice:logLevel"]);
    expect(problems.find((p) => p.key === "gcp:project")?.found).toBe("(not set)");
  });

  it.each([
    ["livekitApiSecret"],
    ["twilioAuthToken"],
    ["sipPassword"],
  ])("refuses %s given in clear text without echoing it", (name) => {
    const problem = onlyProblem({}, secretKeys.filter((k) => k !== key(name)));
    expect(problem.key).toBe(key(name));
    expect(problem.found).toBe("[given in clear text]");
    expect(problem.expected).toMatch(/a Pulumi secret/);
    expect(problem.fix).toMatch(new RegExp(`^pulumi config set --secret ${key(name)} .* --stack test$`));
    const values = rawConfig().values;
    expect(JSON.stringify(problem)).not.toContain(values[key(name)]);
  });

  it("never echoes the value of a key the operator stored as a secret", () => {
    const problem = onlyProblem({ "gcp:project": "Secret Project Name" }, [...secretKeys, "gcp:project"]);
    expect(problem).toMatchObject({ key: "gcp:project", found: "[secret]" });
  });

  it("never echoes a bad secret's value", () => {
    const problem = onlyProblem({ [key("sipPassword")]: "short1A" });
    expect(problem.found).toBe("[secret]");
    expect(problem.expected).toMatch(/at least 12 characters \(at most 255\), a digit, an upper-case and a lower-case letter/);
  });

  it.each([
    ["domain", "voice_example", /public DNS name/],
    ["domain", "voice.example.com\nport: 1", /public DNS name/],
    ["machineType", "big machine", /machine type/],
    ["diskSizeGb", "10", /from 20 to 2000/],
    ["livekitApiKey", "a b", /LiveKit API key/],
    ["logLevel", "trace", /debug, info, warn, error/],
    ["turnEnabled", "yes", /true or false/],
    ["rtcTcpPort", "80", /1024 to 65535/],
    ["adminCidrs", JSON.stringify(["0.0.0.0/0"]), /never 0.0.0.0\/0/],
    ["adminCidrs", "198.51.100.0/24", /non-empty list/],
    ["adminCidrs", "[]", /non-empty list/],
    ["carrierMediaCidrs", JSON.stringify(["168.86.128.1/18"]), /IPv4 CIDRs/],
    ["carrierMediaCidrs", JSON.stringify(["0.0.0.0/0"]), /RTP media from, never 0.0.0.0\/0/],
    ["carrierSignalingCidrs", JSON.stringify(["54.172.60.0/30", "0.0.0.0/0"]), /SIP signaling from, never 0.0.0.0\/0 or CIDRs that together cover the internet \(SIP open to the internet draws toll fraud\)/],
    ["adminCidrs", JSON.stringify(["0.0.0.0/1", "128.0.0.0/1"]), /together these CIDRs cover every address the internet sends from/],
    ["carrierMediaCidrs", JSON.stringify(["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3"]), /together these CIDRs cover every address/],
    ["carrierSignalingCidrs", "[]", /non-empty list/],
    ["dnsManagedZone", "My_Zone", /Cloud DNS managed zone/],
    ["agentName", "-agent", /starting with a letter or digit/],
    ["agentName", "a".repeat(65), /1-64 letters/],
    ["livekitSipVersion", "latest", /livekit-sip release tag .*never latest/],
    ["caddyVersion", "2", /caddy image tag .*never latest/],
    ["livekitServerVersion", "latest", /never latest/],
    ["redisVersion", "7", /never latest/],
    ["twilioAccountSid", "AC123", /AC followed by 32 hex digits/],
    ["twilioTrunkDomain", "agent.example.com", /ending in .pstn.twilio.com/],
    ["phoneNumbers", JSON.stringify(["5551234567"]), /E.164/],
    ["sipUsername", "user name", /SIP username/],
  ])("rejects %s = %j", (name, value, expected) => {
    const problem = onlyProblem({ [key(name)]: value });
    expect(problem.key).toBe(key(name));
    expect(problem.found).toBe(JSON.stringify(value));
    expect(problem.expected).toMatch(expected);
    expect(problem.fix).toMatch(/^pulumi config (set|rm) .* --stack test$/);
  });

  it("rejects a too-short LiveKit API secret", () => {
    const problem = onlyProblem({ [key("livekitApiSecret")]: "tooShortSecret" });
    expect(problem).toMatchObject({ key: key("livekitApiSecret"), found: "[secret]" });
    expect(problem.expected).toMatch(/32-128 characters/);
  });

  it("rejects a zone outside the region", () => {
    const problem = onlyProblem({ "gcp:zone": "europe-west1-b" });
    expect(problem).toMatchObject({ key: "gcp:zone", found: '"europe-west1-b"', expected: "a zone inside gcp:region us-central1, e.g. us-central1-a" });
    expect(problem.fix).toBe("pulumi config set gcp:zone us-central1-a --stack test");
  });

  it("rejects an RTP range that ends before it starts", () => {
    const problem = onlyProblem({ [key("rtpPortStart")]: "20000", [key("rtpPortEnd")]: "10000" });
    expect(problem).toMatchObject({ key: key("rtpPortEnd"), expected: "a port above rtpPortStart (20000)" });
  });

  it.each([
    ["gcp:project", "My Project", /GCP project ID/],
    ["gcp:project", "abc", /6-30 lower-case letters/],
    ["gcp:region", "uscentral", /GCP region such as us-central1/],
  ])("rejects %s = %j", (fullKey, value, expected) => {
    const problem = onlyProblem({ [fullKey]: value });
    expect(problem).toMatchObject({ key: fullKey, found: JSON.stringify(value), fix: expect.stringMatching(/^pulumi config set gcp:.* --stack test$/) });
    expect(problem.expected).toMatch(expected);
  });

  it.each([
    ["twilioAuthToken", "not-a-token", /Twilio auth token \(32 hex digits\)/],
    ["twilioApiKeySecret", "short", /Twilio API key secret \(32 letters and digits\)/],
  ])("rejects a malformed secret %s without showing it", (name, value, expected) => {
    const overrides: Record<string, string | undefined> =
      name === "twilioApiKeySecret"
        ? { [key("twilioAuthToken")]: undefined, [key("twilioApiKeySid")]: "SK0123456789abcdef0123456789abcdef", [key(name)]: value }
        : { [key(name)]: value };
    const problem = onlyProblem(overrides, [...secretKeys, key(name)]);
    expect(problem).toMatchObject({ key: key(name), found: "[secret]" });
    expect(problem.expected).toMatch(expected);
    expect(JSON.stringify(problem)).not.toContain(value);
  });

  it("rejects a malformed API key SID when the API key pair replaces the auth token", () => {
    const problem = onlyProblem(
      { [key("twilioAuthToken")]: undefined, [key("twilioApiKeySid")]: "AK0123456789abcdef0123456789abcdef", [key("twilioApiKeySecret")]: "0123456789abcdefABCDEF0123456789" },
      [...secretKeys, key("twilioApiKeySecret")],
    );
    expect(problem).toMatchObject({ key: key("twilioApiKeySid"), found: '"AK0123456789abcdef0123456789abcdef"' });
    expect(problem.expected).toMatch(/SK followed by 32 hex digits/);
  });

  it("rejects an ICE/TCP port equal to the SIP port, and a SIP port inside the RTP range", () => {
    expect(onlyProblem({ [key("rtcTcpPort")]: "5060" })).toMatchObject({ key: key("rtcTcpPort"), expected: "a port different from sipPort" });
    expect(onlyProblem({ [key("sipPort")]: "15000" })).toMatchObject({ key: key("sipPort"), expected: "a port outside the RTP range 10000-20000" });
  });

  it("rejects a public port that takes an internal one", () => {
    expect(onlyProblem({ [key("rtcTcpPort")]: "7880" })).toMatchObject({
      key: key("rtcTcpPort"),
      expected: "a port not used by the LiveKit API (internal, never public)",
    });
    expect(onlyProblem({ [key("sipPort")]: "6379" })).toMatchObject({ key: key("sipPort"), expected: "a port not used by Redis (internal, never public)" });
  });

  it.each([
    [6789, "livekit-server metrics"],
    [6790, "livekit-sip metrics"],
    [8080, "the livekit-sip health endpoint"],
    [2019, "the Caddy admin API"],
    [8081, "the health endpoint of worker slot A"],
    [8082, "the metrics endpoint of worker slot A"],
    [8083, "the health endpoint of worker slot B"],
    [8084, "the metrics endpoint of worker slot B"],
  ])("rejects the internet-facing ICE/TCP port %i, which %s listens on", (port, what) => {
    expect(onlyProblem({ [key("rtcTcpPort")]: String(port) })).toMatchObject({
      key: key("rtcTcpPort"),
      found: String(port),
      expected: `a port not used by ${what} (internal, never public)`,
    });
  });

  it("rejects UDP ports inside the RTP range or shared between services", () => {
    expect(onlyProblem({ [key("rtcUdpPort")]: "10500" })).toMatchObject({
      key: key("rtcUdpPort"),
      expected: "a port outside the RTP range 10000-20000",
    });
    expect(onlyProblem({ [key("turnUdpPort")]: "7882" })).toMatchObject({
      key: key("turnUdpPort"),
      expected: `a UDP port different from ${key("rtcUdpPort")}`,
    });
  });

  it("accepts a Twilio API key pair instead of the auth token", () => {
    const result = validateStackConfig(
      rawConfig(
        {
          [key("twilioAuthToken")]: undefined,
          [key("twilioApiKeySid")]: "SK0123456789abcdef0123456789abcdef",
          [key("twilioApiKeySecret")]: "abcdefABCDEF0123456789abcdefABCD",
        },
        [...secretKeys, key("twilioApiKeySecret")],
      ),
      "test",
    );
    expect(result.ok && result.config.twilio.auth).toEqual({
      kind: "apiKey",
      apiKeySid: "SK0123456789abcdef0123456789abcdef",
      apiKeySecret: "abcdefABCDEF0123456789abcdefABCD",
    });
  });

  it("refuses both Twilio credential kinds at once, and neither", () => {
    expect(onlyProblem({ [key("twilioApiKeySid")]: "SK0123456789abcdef0123456789abcdef" }).expected).toMatch(/not both/);
    expect(onlyProblem({ [key("twilioAuthToken")]: undefined })).toMatchObject({ key: key("twilioAuthToken"), found: "(not set)" });
  });

  it("asks for the other half of a Twilio API key pair", () => {
    const problem = onlyProblem({ [key("twilioAuthToken")]: undefined, [key("twilioApiKeySid")]: "SK0123456789abcdef0123456789abcdef" });
    expect(problem).toMatchObject({ key: key("twilioApiKeySecret"), found: "(not set)" });
    expect(problem.fix).toMatch(/^pulumi config set --secret agent-studio-voice:twilioApiKeySecret /);
  });

  it("takes the worker's AI keys as optional secrets, and leaves them unset by default", () => {
    const none = validateStackConfig(rawConfig(), "test");
    expect(none.ok && none.config.ai).toEqual({});
    const openai = key("openaiApiKey");
    const deepgram = key("deepgramApiKey");
    const both = validateStackConfig(
      rawConfig({ [openai]: "sk-proj-0123456789abcdef_XYZ", [deepgram]: "0123456789abcdef0123456789abcdef01234567" }, [...secretKeys, openai, deepgram]),
      "test",
    );
    expect(both.ok && both.config.ai).toEqual({ openaiApiKey: "sk-proj-0123456789abcdef_XYZ", deepgramApiKey: "0123456789abcdef0123456789abcdef01234567" });
  });

  it("refuses an AI key in clear text or of the wrong shape without echoing it, and Deepgram without OpenAI", () => {
    const openai = key("openaiApiKey");
    const deepgram = key("deepgramApiKey");
    expect(onlyProblem({ [openai]: "sk-proj-0123456789abcdef" })).toMatchObject({ key: openai, found: "[given in clear text]" });
    const shape = onlyProblem({ [openai]: "not-a-key" }, [...secretKeys, openai]);
    expect(shape).toMatchObject({ key: openai, found: "[secret]", fix: `pulumi config set --secret ${openai} <OpenAI API key> --stack test` });
    const alone = onlyProblem({ [deepgram]: "0123456789abcdef0123456789abcdef01234567" }, [...secretKeys, deepgram]);
    expect(alone).toMatchObject({ key: openai, found: "(not set)" });
    expect(alone.expected).toMatch(/deepgramApiKey alone runs no pipeline/);
  });

  it("gives a missing list a --path fix that stores its item as a string", () => {
    expect(onlyProblem({ [key("adminCidrs")]: undefined }).fix).toBe(
      "pulumi config set --path 'agent-studio-voice:adminCidrs[0]' --type string <your office CIDR> --stack test",
    );
  });

  it("names a phone number the CLI stored as a number, and fixes that item with --type string and its + back", () => {
    const problem = onlyProblem({ [key("phoneNumbers")]: "[\"+15005550006\",15551234567]" });
    expect(problem).toMatchObject({ key: key("phoneNumbers"), found: JSON.stringify("[\"+15005550006\",15551234567]") });
    expect(problem.expected).toMatch(/item 1 is a number \(15551234567\), not a string: `pulumi config set --path` stores .* unless given --type string/);
    expect(problem.fix).toBe("pulumi config set --path 'agent-studio-voice:phoneNumbers[1]' --type string +15551234567 --stack test");
  });

  it("fixes a bad list item in place, and a list that is not a list by replacing it, keeping a usable bare item", () => {
    expect(onlyProblem({ [key("adminCidrs")]: JSON.stringify(["198.51.100.0/24", "203.0.113.7/24"]) })).toMatchObject({
      expected: expect.stringMatching(/; item 1 \("203\.0\.113\.7\/24"\) is not one$/),
      fix: "pulumi config set --path 'agent-studio-voice:adminCidrs[1]' --type string <your office CIDR> --stack test",
    });
    expect(onlyProblem({ [key("adminCidrs")]: "203.0.113.0/24" })).toMatchObject({
      expected: expect.stringMatching(/; it is not a list$/),
      fix:
        "pulumi config rm agent-studio-voice:adminCidrs --stack test && " +
        "pulumi config set --path 'agent-studio-voice:adminCidrs[0]' --type string 203.0.113.0/24 --stack test",
    });
  });

  it("names a key of the project nothing reads, with the closest known key, and moves its value there", () => {
    expect(onlyProblem({ [key("turnEnable")]: "true" })).toEqual({
      key: key("turnEnable"),
      found: '"true"',
      expected: "a key this program reads (did you mean agent-studio-voice:turnEnabled?)",
      fix: "pulumi config rm agent-studio-voice:turnEnable --stack test && pulumi config set agent-studio-voice:turnEnabled true --stack test",
    });
    expect(onlyProblem({ [key("AdminCidr")]: JSON.stringify(["203.0.113.0/24", "198.51.100.0/24"]) }).fix).toBe(
      "pulumi config rm agent-studio-voice:AdminCidr --stack test && " +
        "pulumi config set --path 'agent-studio-voice:adminCidrs[0]' --type string 203.0.113.0/24 --stack test && " +
        "pulumi config set --path 'agent-studio-voice:adminCidrs[1]' --type string 198.51.100.0/24 --stack test",
    );
  });

  it("never echoes the value of an unknown key that is or should be secret", () => {
    const misspelt = onlyProblem({ [key("sipPasswrod")]: "Clear-Passw0rd-1" });
    expect(misspelt.fix).toBe("pulumi config rm agent-studio-voice:sipPasswrod --stack test && pulumi config set --secret agent-studio-voice:sipPassword <value> --stack test");
    const stored = onlyProblem({ [key("domian")]: "voice.example.org" }, [...secretKeys, key("domian")]);
    expect(stored).toMatchObject({ found: "[secret]", fix: expect.stringMatching(/&& pulumi config set --secret agent-studio-voice:domain <value> --stack test$/) });
    expect(JSON.stringify([misspelt, stored])).not.toMatch(/Clear-Passw0rd-1|voice\.example\.org/);
  });

  it("reports any key of the project's namespace that nothing reads, once, with a fix that first removes it", () => {
    const known = new Set(Object.values(configFields).map((f) => f.key));
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,20}$/).filter((n) => !known.has(key(n)) && n !== "twilioApiBaseUrl");
    fc.assert(
      fc.property(name, fc.boolean(), (n, asSecret) => {
        const problems = problemsOf({ [key(n)]: "some value" }, asSecret ? [...secretKeys, key(n)] : secretKeys);
        expect(problems.filter((p) => p.key === key(n))).toHaveLength(1);
        expect(problems.find((p) => p.key === key(n))?.fix).toMatch(new RegExp(`^pulumi config rm ${key(n)} --stack test( && pulumi config set .*)?$`));
        if (asSecret) expect(JSON.stringify(problems)).not.toContain("some value");
      }),
      { numRuns: 300 },
    );
  });

  it("removes an unknown key that resembles no known one, and leaves other namespaces and the providers' test seam alone", () => {
    expect(onlyProblem({ [key("colour")]: "blue" })).toMatchObject({
      expected: expect.stringMatching(/none is close; the closest is agent-studio-voice:\w+/),
      fix: "pulumi config rm agent-studio-voice:colour --stack test",
    });
    const result = validateStackConfig(rawConfig({ "gcp:credentials": "{}", "other:turnEnable": "true", [key("twilioApiBaseUrl")]: "http://127.0.0.1:1" }), "test");
    expect(result.ok).toBe(true);
  });

  it("fixes both Twilio credential kinds by removing the one that is incomplete, or the auth token", () => {
    const sid = { [key("twilioApiKeySid")]: "SK0123456789abcdef0123456789abcdef" };
    expect(onlyProblem(sid).fix).toBe("pulumi config rm agent-studio-voice:twilioApiKeySid --stack test");
    const pair = { ...sid, [key("twilioApiKeySecret")]: "abcdefABCDEF0123456789abcdefABCD" };
    expect(onlyProblem(pair, [...secretKeys, key("twilioApiKeySecret")]).fix).toBe("pulumi config rm agent-studio-voice:twilioAuthToken --stack test");
  });

  it("fixes an RTP range that ends before it starts with an end above the start", () => {
    expect(onlyProblem({ [key("rtpPortStart")]: "30000", [key("rtpPortEnd")]: "20000" }).fix).toBe(
      "pulumi config set agent-studio-voice:rtpPortEnd 40000 --stack test",
    );
  });
});
