import { internalServicePorts } from "../../../../scripts/doctor/closed-ports";
import { parseDoctorFlags } from "../../../../scripts/doctor/doctor-flags";
import { type DoctorInputs, mergeInputs } from "../../../../scripts/doctor/doctor-inputs";
import { inputsFromStack } from "../../../../scripts/doctor/stack-inputs";

const outputs = JSON.stringify({ staticIp: "203.0.113.10", livekitApiUrl: "https://voice.example.com", sipUri: "sip:203.0.113.10:5080", wssUrl: "wss://voice.example.com" });
const config = JSON.stringify({
  "agent-studio-voice:domain": { value: "voice.example.com", secret: false },
  "agent-studio-voice:livekitApiKey": { value: "APIprod", secret: false },
  "agent-studio-voice:livekitApiSecret": { value: "s3cret-s3cret", secret: true },
  "agent-studio-voice:twilioAccountSid": { value: "AC00000000000000000000000000000000", secret: false },
  "agent-studio-voice:twilioAuthToken": { value: "tok", secret: true },
  "agent-studio-voice:twilioTrunkDomain": { value: "agent-studio-prod.pstn.twilio.com", secret: false },
  "agent-studio-voice:adminCidrs": { value: '["198.51.100.0/24"]', objectValue: ["198.51.100.0/24"], secret: false },
  "gcp:project": { value: "p", secret: false },
});

describe("the doctor's inputs from a stack", () => {
  it("come from the outputs and the decrypted config; the SIP port from sipUri when not configured", () => {
    expect(inputsFromStack(outputs, config)).toEqual({
      domain: "voice.example.com",
      staticIp: "203.0.113.10",
      livekitUrl: "https://voice.example.com",
      apiKey: "APIprod",
      apiSecret: "s3cret-s3cret",
      sipPort: 5080,
      trunkDomain: "agent-studio-prod.pstn.twilio.com",
      twilio: { twilioAccountSid: "AC00000000000000000000000000000000", twilioAuthToken: "tok" },
    });
  });

  it("take the first phone number to check inbound calls to, and the carrier's ranges, from the config's lists", () => {
    const withLists = (phoneNumbers: string[]) =>
      JSON.stringify({
        "agent-studio-voice:phoneNumbers": { value: JSON.stringify(phoneNumbers), objectValue: phoneNumbers, secret: false },
        "agent-studio-voice:carrierSignalingCidrs": { value: '["203.0.113.0/30"]', secret: false },
      });
    expect(inputsFromStack(outputs, withLists(["+15005550006", "+15005550007"]))).toMatchObject({
      inboundNumber: "+15005550006",
      carrierCidrs: ["203.0.113.0/30"],
    });
    // A number listed by its Twilio SID cannot be called by number: --number gives it.
    expect(inputsFromStack(outputs, withLists(["PN0123456789abcdef0123456789abcdef"])).inboundNumber).toBeUndefined();
  });
});

describe("the doctor's command line", () => {
  it("takes secrets from the environment only and overrides the stack's values", () => {
    const flags = parseDoctorFlags(["--stack", "prod", "--ip", "192.0.2.1", "--dns-server", "127.0.0.1:53", "--dns-server", "127.0.0.2", "--closed-ports", "6379,9999"], {
      LIVEKIT_API_SECRET: "from-env",
      TWILIO_API_KEY_SID: "SKx",
      TWILIO_API_KEY_SECRET: "sec",
    });
    expect(flags.stack).toBe("prod");
    const base: DoctorInputs = { dnsServers: [], tlsPort: 443, sipPort: 5060, secureTrunking: true, sipTlsPort: 5061, carrierCidrs: ["54.172.60.0/30"], twilio: {}, closedPorts: [...internalServicePorts] };
    const merged = mergeInputs(base, inputsFromStack(outputs, config), flags.inputs);
    expect(merged).toMatchObject({
      staticIp: "192.0.2.1",
      domain: "voice.example.com",
      apiSecret: "from-env",
      dnsServers: ["127.0.0.1:53", "127.0.0.2"],
      closedPorts: [{ port: 6379, what: "Redis" }, { port: 9999, what: "port 9999" }],
      carrierCidrs: ["54.172.60.0/30"],
      twilio: { twilioAccountSid: "AC00000000000000000000000000000000", twilioAuthToken: "tok", twilioApiKeySid: "SKx", twilioApiKeySecret: "sec" },
    });
  });

  it("takes the inbound checks' number and carrier ranges", () => {
    expect(parseDoctorFlags(["--number", "+15005550007", "--carrier-cidrs", "203.0.113.0/30, 198.51.100.8/29"], {}).inputs).toMatchObject({
      inboundNumber: "+15005550007",
      carrierCidrs: ["203.0.113.0/30", "198.51.100.8/29"],
    });
  });

  it("refuses unknown checks in --skip, bad ports and unknown flags, naming what is expected", () => {
    expect(() => parseDoctorFlags(["--skip", "dns,sip"], {})).toThrow(/--skip sip: no such check; the checks are dns, tls, sip-tls, livekit-api, sip-options/);
    expect(() => parseDoctorFlags(["--sip-port", "70000"], {})).toThrow(/--sip-port 70000: expected a port number from 1 to 65535/);
    expect(() => parseDoctorFlags(["--secure-trunking", "yes"], {})).toThrow(/--secure-trunking yes: expected true or false/);
    expect(() => parseDoctorFlags(["--api-secret", "x"], {})).toThrow(/Unknown option '--api-secret'/);
  });
});

describe("the doctor's inputs for several nodes", () => {
  const multiOutputs = JSON.stringify({
    staticIp: "203.0.113.10",
    sipUri: "sip:sip.voice.example.com:5061;transport=tls",
    livekitApiUrl: "https://voice.example.com",
    nodes: {
      count: 2,
      zones: ["us-central1-a", "us-central1-b"],
      staticIps: ["203.0.113.10", "203.0.113.11"],
      sipUris: ["sip:sip.voice.example.com:5061;transport=tls", "sip:sip-1.voice.example.com:5061;transport=tls"],
      loadBalancerIp: "198.51.100.7",
      sharedRedisAddress: "10.0.0.3:6379",
    },
  });
  const oneNodeOutputs = JSON.stringify({
    ...JSON.parse(outputs),
    nodes: { count: 1, zones: ["us-central1-a"], staticIps: ["203.0.113.10"], sipUris: ["sip:sip.voice.example.com:5061;transport=tls"] },
  });

  it("come from the stack's nodes output; a one-node stack is one host without a load balancer", () => {
    expect(inputsFromStack(multiOutputs, config)).toMatchObject({
      staticIp: "203.0.113.10",
      nodeIps: ["203.0.113.10", "203.0.113.11"],
      loadBalancerIp: "198.51.100.7",
      livekitUrl: "https://voice.example.com",
    });
    expect(inputsFromStack(outputs, config)).toMatchObject({ nodeIps: undefined, loadBalancerIp: undefined });
    expect(inputsFromStack(oneNodeOutputs, config)).toMatchObject({ staticIp: "203.0.113.10", nodeIps: undefined, loadBalancerIp: undefined });
  });

  it("come from --ip repeated once per node, node 0 first, and --load-balancer-ip; a single --ip is one host", () => {
    expect(parseDoctorFlags(["--ip", "192.0.2.1", "--ip", "192.0.2.2", "--load-balancer-ip", "192.0.2.9"], {}).inputs).toMatchObject({
      staticIp: "192.0.2.1",
      nodeIps: ["192.0.2.1", "192.0.2.2"],
      loadBalancerIp: "192.0.2.9",
    });
    expect(parseDoctorFlags(["--ip", "192.0.2.1"], {}).inputs).toMatchObject({ staticIp: "192.0.2.1", nodeIps: undefined });
  });
});
