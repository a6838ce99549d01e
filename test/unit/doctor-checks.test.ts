import { doctorChecks } from "../../scripts/doctor/doctor-checks";
import { dnsRecordCheck } from "../../scripts/doctor/dns-record";
import { sipUrlHost, type TrunkDirectory, twilioOriginationCheck } from "../../scripts/doctor/twilio-origination";

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
    const checks = doctorChecks({ domain: "voice.example.com", staticIp: ip, dnsServers: [], tlsPort: 443, sipPort: 5060, twilio: {}, closedPorts: [] });
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
