import { pickOriginationUrl, type RoutableUrl, sipAddress } from "../../../harness/twilio-fake/origination-routing";

const url = (name: string, priority: number, weight: number, enabled = true): RoutableUrl => ({ sipUrl: `sip:${name}:5060`, priority, weight, enabled });

describe("pickOriginationUrl", () => {
  it("shares calls among enabled URLs of equal priority in proportion to their weight", () => {
    const urls = [url("a", 10, 10), url("b", 10, 30)];
    expect(pickOriginationUrl(urls, 0)?.sipUrl).toBe("sip:a:5060");
    expect(pickOriginationUrl(urls, 0.249)?.sipUrl).toBe("sip:a:5060");
    expect(pickOriginationUrl(urls, 0.25)?.sipUrl).toBe("sip:b:5060");
    expect(pickOriginationUrl(urls, 0.999)?.sipUrl).toBe("sip:b:5060");
  });

  it("skips disabled URLs, whatever the draw", () => {
    const urls = [url("a", 10, 10, false), url("b", 10, 10)];
    expect(pickOriginationUrl(urls, 0)?.sipUrl).toBe("sip:b:5060");
    expect(pickOriginationUrl(urls, 0.99)?.sipUrl).toBe("sip:b:5060");
  });

  it("sends every call to the lowest priority value among the enabled URLs", () => {
    expect(pickOriginationUrl([url("backup", 20, 10), url("primary", 10, 1)], 0.99)?.sipUrl).toBe("sip:primary:5060");
    expect(pickOriginationUrl([url("backup", 20, 10), url("primary", 10, 1, false)], 0.5)?.sipUrl).toBe("sip:backup:5060");
  });

  it("routes nowhere when no URL is enabled", () => {
    expect(pickOriginationUrl([url("a", 10, 10, false)], 0.5)).toBeUndefined();
  });
});

describe("sipAddress", () => {
  it.each([
    ["sip:127.0.0.2:40187", "127.0.0.2:40187"],
    ["sip:203.0.113.10", "203.0.113.10:5060"],
    ["sip:user@203.0.113.10:5080;transport=udp", "203.0.113.10:5080"],
  ])("%s → %s", (sipUrl, address) => expect(sipAddress(sipUrl)).toBe(address));

  it("refuses what is no sip: URI", () => expect(() => sipAddress("https://example.com")).toThrow("origination URL https://example.com is not a sip: URI"));
});
