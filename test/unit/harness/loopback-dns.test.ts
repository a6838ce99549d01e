import { promises as dns } from "node:dns";
import { type LoopbackDns, startLoopbackDns } from "../../harness/loopback-dns";

let server: LoopbackDns;
let resolver: dns.Resolver;

beforeAll(async () => {
  server = await startLoopbackDns(["sip.voice.test"]);
  resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([server.address]);
});
afterAll(() => server.stop());

describe("the loopback DNS server", () => {
  it("answers a name it knows with 127.0.0.1, whatever its case", async () => {
    expect(await resolver.resolve4("sip.voice.test")).toEqual(["127.0.0.1"]);
    expect(await resolver.resolve4("SIP.Voice.Test")).toEqual(["127.0.0.1"]);
  });

  it("has no other record for it, and no name it does not know", async () => {
    await expect(resolver.resolve6("sip.voice.test")).rejects.toMatchObject({ code: "ENODATA" });
    await expect(resolver.resolve4("other.voice.test")).rejects.toMatchObject({ code: "ENOTFOUND" });
  });
});
