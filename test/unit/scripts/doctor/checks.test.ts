import { RoomAgentDispatch, RoomConfiguration, SIPDispatchRule, SIPDispatchRuleIndividual, SIPDispatchRuleInfo, SIPInboundTrunkInfo } from "livekit-server-sdk";
import { type AddressInfo, createServer } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { checkNames, doctorChecks } from "../../../../scripts/doctor/doctor-checks";
import type { DoctorInputs } from "../../../../scripts/doctor/doctor-inputs";
import { dnsRecordCheck, loadBalancerTarget } from "../../../../scripts/doctor/dns-record";
import { agentsOf, rangeCovers, ruleFor, trunkFor } from "../../../../scripts/doctor/inbound-route";
import { sharedTrunkDirectory, sipUrlHost, type TrunkDirectory, twilioOriginationCheck } from "../../../../scripts/doctor/twilio-origination";

const ip = "203.0.113.10";
const domain = "agent-studio-prod.pstn.twilio.com";

function directory(urls: { sipUrl: string; enabled: boolean }[], trunks: Record<string, string> = { [domain]: "TK1" }): TrunkDirectory {
  return { trunkSid: async (d) => trunks[d], originationUrls: async () => urls };
}

describe("twilio-origination", () => {
  it("passes when an enabled origination URL of the trunk points at the static IP", async () => {
    const check = twilioOriginationCheck(directory([{ sipUrl: `sip:${ip}:5060;transport=udp`, enabled: true }]), domain, ip);
    expect(await check.run()).toEqual({ status: "pass", detail: `trunk TK1 sends calls to sip:${ip}:5060;transport=udp` });
  });

  it("fails naming what the trunk has instead, or that the URL is disabled, or that the trunk is missing", async () => {
    const elsewhere = await twilioOriginationCheck(directory([{ sipUrl: "sip:198.51.100.1", enabled: true }]), domain, ip).run();
    expect(elsewhere).toMatchObject({ status: "fail", detail: `trunk TK1 has no origination URL to ${ip} (it has sip:198.51.100.1)` });
    expect(elsewhere.fix).toMatch(/pulumi up/);
    const disabled = await twilioOriginationCheck(directory([{ sipUrl: `sip:${ip}`, enabled: false }]), domain, ip).run();
    expect(disabled).toMatchObject({ status: "fail", detail: `trunk TK1 has sip:${ip} but it is disabled` });
    const missing = await twilioOriginationCheck(directory([], {}), domain, ip).run();
    expect(missing).toMatchObject({ status: "fail", detail: `the Twilio account has no trunk with domain ${domain}` });
  });

  it("reads the host of any SIP URI form", () => {
    expect(["sip:203.0.113.10", "sip:203.0.113.10:5060", "sips:user@203.0.113.10:5061;transport=tls", "sip:[2001:db8::1]:5060"].map(sipUrlHost)).toEqual([
      ip,
      ip,
      ip,
      "2001:db8::1",
    ]);
  });
});

describe("dns", () => {
  const resolver = (answer: string[] | NodeJS.ErrnoException) => ({
    resolve4: async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });

  it("fails with the record to create when the name resolves elsewhere, not at all, or also elsewhere", async () => {
    expect(await dnsRecordCheck("voice.example.com", ip, resolver(["198.51.100.1"])).run()).toMatchObject({
      status: "fail",
      detail: `voice.example.com resolves to 198.51.100.1, not the static IP ${ip}`,
      fix: expect.stringContaining(`\`voice.example.com. A ${ip}\``),
    });
    const nx = Object.assign(new Error("queryA ENOTFOUND"), { code: "ENOTFOUND" });
    expect(await dnsRecordCheck("voice.example.com", ip, resolver(nx)).run()).toMatchObject({ status: "fail", detail: "voice.example.com has no A record (ENOTFOUND)" });
    expect(await dnsRecordCheck("voice.example.com", ip, resolver([ip, "198.51.100.1"])).run()).toMatchObject({ status: "fail" });
    expect(await dnsRecordCheck("voice.example.com", ip, resolver([ip])).run()).toEqual({ status: "pass", detail: `voice.example.com → ${ip}` });
  });
});

describe("a check without its inputs", () => {
  it("fails saying which inputs are missing and where they come from, without contacting anything", async () => {
    const checks = doctorChecks({ domain: "voice.example.com", staticIp: ip, dnsServers: [], tlsPort: 443, sipPort: 5060, secureTrunking: true, sipTlsPort: 5061, carrierCidrs: [], twilio: {}, closedPorts: [] });
    const twilio = checks.find((c) => c.name === "twilio-origination")!;
    expect(await twilio.run()).toEqual({
      status: "fail",
      detail: "cannot run: no Twilio trunk domain, no Twilio account SID, no Twilio credentials",
      fix:
        "Use --stack <name> (reads them from the stack), or give --trunk-domain and --twilio-account-sid and " +
        "TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET) in the environment; or --skip twilio-origination.",
    });
  });
});

describe("the inbound checks without a number", () => {
  it("fail each line naming the missing number and --number", async () => {
    const checks = doctorChecks({
      livekitUrl: "https://voice.example.com",
      apiKey: "APIprod",
      apiSecret: "s3cret",
      dnsServers: [],
      tlsPort: 443,
      sipPort: 5060,
      secureTrunking: true,
      sipTlsPort: 5061,
      carrierCidrs: [],
      twilio: {},
      closedPorts: [],
    });
    const inbound = checks.filter((c) => c.name.startsWith("inbound-"));
    expect(inbound.map((c) => c.name)).toEqual(["inbound-trunk", "inbound-dispatch", "inbound-worker"]);
    for (const check of inbound) {
      expect(await check.run()).toMatchObject({
        status: "fail",
        detail: "cannot run: no E.164 number to check inbound calls to",
        fix: expect.stringContaining("--number"),
      });
    }
  });
});

describe("the route LiveKit would pick for an inbound call", () => {
  const trunk = (id: string, numbers: string[], allowedAddresses: string[]) => new SIPInboundTrunkInfo({ sipTrunkId: id, name: id, numbers, allowedAddresses });
  const rule = (id: string, fields: Partial<SIPDispatchRuleInfo>, agentName = `${id}-agent`) =>
    new SIPDispatchRuleInfo({
      sipDispatchRuleId: id,
      rule: new SIPDispatchRule({ rule: { case: "dispatchRuleIndividual", value: new SIPDispatchRuleIndividual({ roomPrefix: "call-" }) } }),
      roomConfig: new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName })] }),
      ...fields,
    });

  it("takes the trunk listing the number, and names the carrier ranges its allowed addresses do not cover", () => {
    const trunks = [trunk("ST_other", ["+15005550009"], []), trunk("ST_in", ["+15005550006"], ["54.172.60.0/23", "10.0.0.1"])];
    expect(trunkFor("+15005550006", trunks, ["54.172.60.0/30", "54.172.61.0/30", "54.244.51.0/30"])).toMatchObject({
      trunk: { sipTrunkId: "ST_in" },
      others: 0,
      uncovered: ["54.244.51.0/30"],
    });
    expect(trunkFor("+15005550007", trunks, []).trunk).toBeUndefined();
    expect([rangeCovers("10.0.0.0/8", "10.1.2.3"), rangeCovers("10.0.0.0/24", "10.0.0.0/16"), rangeCovers("0.0.0.0/0", "192.0.2.0/24")]).toEqual([true, false, true]);
  });

  it("prefers the rule for the number over the every-number rule, and a rule for the trunk over one for every trunk", () => {
    const everyNumber = rule("SDR_all", { trunkIds: ["ST_in"] });
    const sales = rule("SDR_sales", { trunkIds: ["ST_in"], numbers: ["+15005550007"] });
    const anyTrunk = rule("SDR_any", { numbers: ["+15005550006"] });
    const rules = [anyTrunk, sales, everyNumber];
    expect(ruleFor("+15005550007", "ST_in", rules)?.sipDispatchRuleId).toBe("SDR_sales");
    expect(ruleFor("+15005550006", "ST_in", rules)?.sipDispatchRuleId).toBe("SDR_all");
    expect(ruleFor("+15005550006", "ST_elsewhere", rules)?.sipDispatchRuleId).toBe("SDR_any");
    expect(agentsOf(sales)).toEqual(["SDR_sales-agent"]);
  });

  it("does not count rules that take only some callers or ask for a PIN", () => {
    const callers = rule("SDR_callers", { trunkIds: ["ST_in"], inboundNumbers: ["+14155550100"] });
    const pin = rule("SDR_pin", {
      trunkIds: ["ST_in"],
      rule: new SIPDispatchRule({ rule: { case: "dispatchRuleIndividual", value: new SIPDispatchRuleIndividual({ roomPrefix: "call-", pin: "1234" }) } }),
    });
    expect(ruleFor("+15005550006", "ST_in", [callers, pin])).toBeUndefined();
  });
});

describe("the doctor on a stack with secure trunking", () => {
  const base = { domain: "voice.example.com", staticIp: "192.0.2.1", dnsServers: [], tlsPort: 443, sipPort: 5060, sipTlsPort: 5061, carrierCidrs: [], twilio: {}, closedPorts: [] };

  it("passes Twilio's origination only to the SIP host name over TLS", async () => {
    const sipHost = "sip.voice.example.com";
    const tls = await twilioOriginationCheck(directory([{ sipUrl: `sip:${sipHost}:5061;transport=tls`, enabled: true }]), domain, sipHost, true).run();
    expect(tls.status).toBe("pass");
    const clear = await twilioOriginationCheck(directory([{ sipUrl: `sip:${sipHost}:5060`, enabled: true }]), domain, sipHost, true).run();
    expect(clear).toMatchObject({ status: "fail", detail: expect.stringContaining(`no origination URL to ${sipHost}`) });
  });

  it("checks the SIP/TLS certificate and skips the clear SIP OPTIONS, and the reverse with it off", async () => {
    const statusOf = async (secureTrunking: boolean, name: string) => (await doctorChecks({ ...base, secureTrunking }).find((c) => c.name === name)!.run()).status;
    expect(await statusOf(true, "sip-options")).toBe("skip");
    expect(await statusOf(false, "sip-tls")).toBe("skip");
  });
});

describe("the doctor on a stack of several nodes", () => {
  const nodeIps = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];
  const base: DoctorInputs = {
    domain: "voice.example.com",
    staticIp: nodeIps[0],
    nodeIps,
    loadBalancerIp: "198.51.100.7",
    dnsServers: [],
    tlsPort: 443,
    sipPort: 5060,
    secureTrunking: false,
    sipTlsPort: 5061,
    carrierCidrs: [],
    twilio: {},
    closedPorts: [],
  };
  const lines = (inputs: DoctorInputs) => doctorChecks(inputs).map((c) => (c.node === undefined ? c.name : `node-${c.node} ${c.name}`));

  it("runs the per-host checks once per node and the stack's checks once, in the report's order", () => {
    const perNode = (name: string) => nodeIps.map((_, node) => `node-${node} ${name}`);
    expect(lines(base)).toEqual([
      "dns",
      "tls",
      ...perNode("sip-tls"),
      "livekit-api",
      ...perNode("sip-options"),
      "outbound-trunk",
      "inbound-trunk",
      "inbound-dispatch",
      "inbound-worker",
      ...perNode("twilio-origination"),
      ...perNode("closed-ports"),
    ]);
    // One node (or a single --ip) keeps the one host's lines, none named for a node.
    expect(lines({ ...base, nodeIps: [nodeIps[0]] })).toEqual([...checkNames]);
  });

  it("probes each node at its own IP: one node's open port fails its own line only", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, nodeIps[1], resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const checks = doctorChecks({ ...base, closedPorts: [{ port, what: "Redis" }] }).filter((c) => c.name === "closed-ports");
      expect(await Promise.all(checks.map((c) => c.run()))).toEqual([
        { status: "pass", detail: `closed on ${nodeIps[0]}: ${port} (Redis)` },
        expect.objectContaining({ status: "fail", detail: `open on ${nodeIps[1]}: ${port} (Redis) accepts TCP connections from this machine` }),
        { status: "pass", detail: `closed on ${nodeIps[2]}: ${port} (Redis)` },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("under secure trunking, checks each node's SIP/TLS certificate at its IP for its own SIP host name, and skips clear SIP on each", async () => {
    // A TLS listener on each node's address records the name asked for, then refuses the handshake.
    const asked: string[][] = nodeIps.map(() => []);
    const servers = nodeIps.map((_, node) =>
      createTlsServer({ SNICallback: (name, callback) => (asked[node].push(name), callback(new Error("no certificate here"))) }),
    );
    await new Promise<void>((resolve) => servers[0].listen(0, nodeIps[0], resolve));
    const port = (servers[0].address() as AddressInfo).port;
    await Promise.all(servers.slice(1).map((server, i) => new Promise<void>((resolve) => server.listen(port, nodeIps[i + 1], resolve))));
    try {
      const checks = doctorChecks({ ...base, secureTrunking: true, sipTlsPort: port });
      const sipOptions = checks.filter((c) => c.name === "sip-options");
      expect((await Promise.all(sipOptions.map((c) => c.run()))).map((r) => r.status)).toEqual(["skip", "skip", "skip"]);
      const sipTls = await Promise.all(checks.filter((c) => c.name === "sip-tls").map((c) => c.run()));
      expect(sipTls.map((r) => r.detail)).toEqual(nodeIps.map((ip) => expect.stringMatching(new RegExp(`^no TLS on ${ip.replace(/\./g, "\\.")}:${port}`))));
      expect(asked).toEqual([["sip.voice.example.com"], ["sip-1.voice.example.com"], ["sip-2.voice.example.com"]]);
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it("asks for the load balancer's IP for the dns and tls lines when the stack does not give it", async () => {
    const checks = doctorChecks({ ...base, loadBalancerIp: undefined });
    for (const name of ["dns", "tls"]) {
      expect(await checks.find((c) => c.name === name)!.run()).toEqual({
        status: "fail",
        detail: "cannot run: no load balancer IP",
        fix: `Use --stack <name> (reads them from the stack), or give --load-balancer-ip; or --skip ${name}.`,
      });
    }
  });

  it("wants the domain to resolve to the load balancer, not to a node", async () => {
    const resolver = (addresses: string[]) => ({ resolve4: async () => addresses });
    const atNode = await dnsRecordCheck("voice.example.com", "198.51.100.7", resolver([nodeIps[0]]), loadBalancerTarget).run();
    expect(atNode).toMatchObject({
      status: "fail",
      detail: `voice.example.com resolves to ${nodeIps[0]}, not the load balancer's IP 198.51.100.7`,
      fix: expect.stringContaining("Google issues the load balancer's certificate only once the name resolves to its IP"),
    });
    expect(await dnsRecordCheck("voice.example.com", "198.51.100.7", resolver(["198.51.100.7"]), loadBalancerTarget).run()).toEqual({
      status: "pass",
      detail: "voice.example.com → 198.51.100.7",
    });
  });

  it("passes a node's enabled origination URL, and fails a disabled one with what a stopped roll needs", async () => {
    const urls = [
      { sipUrl: "sip:sip.voice.example.com:5061;transport=tls", enabled: true },
      { sipUrl: "sip:sip-1.voice.example.com:5061;transport=tls", enabled: false },
    ];
    const node0 = await twilioOriginationCheck(directory(urls), domain, "sip.voice.example.com", true, 0).run();
    expect(node0).toEqual({ status: "pass", detail: "trunk TK1 sends calls to sip:sip.voice.example.com:5061;transport=tls" });
    const node1 = await twilioOriginationCheck(directory(urls), domain, "sip-1.voice.example.com", true, 1).run();
    expect(node1).toMatchObject({ status: "fail", detail: "trunk TK1 has sip:sip-1.voice.example.com:5061;transport=tls but it is disabled" });
    expect(node1.fix).toMatch(/^A rolling deploy that stopped at node 1 leaves its URL disabled.*run `pulumi up` again: it enables the URL once the node is healthy/);
    const node2 = await twilioOriginationCheck(directory(urls), domain, "sip-2.voice.example.com", true, 2).run();
    expect(node2).toMatchObject({ status: "fail", fix: expect.stringContaining("node 2's to the stack output nodes.sipUris[2]") });
  });

  it("asks Twilio once for the trunk and its URLs, however many nodes' lines need them", async () => {
    const asked: string[] = [];
    const counting: TrunkDirectory = {
      trunkSid: async (d) => (asked.push(`trunk ${d}`), "TK1"),
      originationUrls: async (sid) => (asked.push(`urls ${sid}`), []),
    };
    const shared = sharedTrunkDirectory(counting);
    await Promise.all(nodeIps.map((ip, node) => twilioOriginationCheck(shared, domain, ip, false, node).run()));
    expect(asked).toEqual([`trunk ${domain}`, "urls TK1"]);
  });
});
