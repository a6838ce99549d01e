import { apiBaseUrlProblem, rewriteUri } from "../../../../providers/twilio";

describe("the Twilio HTTP seam", () => {
  it("leaves Twilio URLs alone in real stacks", () => {
    expect(rewriteUri("https://trunking.twilio.com/v1/Trunks?PageSize=1", undefined)).toBe("https://trunking.twilio.com/v1/Trunks?PageSize=1");
  });

  it("keeps the product host as the first path segment on the test fake", () => {
    expect(rewriteUri("https://api.twilio.com/2010-04-01/Accounts/AC1/SIP/CredentialLists.json?PageSize=50", "http://127.0.0.1:4010/")).toBe(
      "http://127.0.0.1:4010/api.twilio.com/2010-04-01/Accounts/AC1/SIP/CredentialLists.json?PageSize=50",
    );
  });

  it("refuses any override that is not loopback, so credentials cannot be redirected", () => {
    expect(apiBaseUrlProblem("http://127.0.0.1:4010")).toBeUndefined();
    expect(apiBaseUrlProblem("http://localhost:4010")).toBeUndefined();
    expect(apiBaseUrlProblem("https://evil.example.com")).toMatch(/not a loopback http\(s\) URL/);
    expect(apiBaseUrlProblem("ftp://127.0.0.1")).toBeDefined();
    expect(apiBaseUrlProblem("not a url")).toMatch(/is not a URL/);
  });
});
