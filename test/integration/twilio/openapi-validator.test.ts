import * as fs from "node:fs";
import * as path from "node:path";
import { FakeTwilio, specDirectory, TwilioOpenApiValidator } from "../../harness/twilio-fake";
import { configureAll, PROJECT } from "./trunk-graph";
import { staticProviderConfig } from "../../../providers/base";
import { connectTwilio, trunkProvider } from "../../../providers/twilio";

// Compiling validators for Twilio's examples takes a moment on a busy machine.
jest.setTimeout(30_000);

const validator = new TwilioOpenApiValidator();

describe("the fake's OpenAPI validation is live", () => {
  let fake: FakeTwilio;

  beforeEach(async () => {
    fake = await FakeTwilio.start(validator);
  });

  afterEach(async () => {
    await fake.stop();
  });

  it("fails the test when the SDK sends a request that breaks the schema", async () => {
    const { client } = connectTwilio(staticProviderConfig(fake.stackConfig(PROJECT), PROJECT));
    const trunk = await client.trunking.v1.trunks.create({ domainName: "live-check.pstn.twilio.com" });
    fake.assertNoViolations();

    // Weight must be an integer and SipUrl is required; a raw request bypasses the SDK's own checks.
    const sent = client.request({
      method: "post",
      uri: `https://trunking.twilio.com/v1/Trunks/${trunk.sid}/OriginationUrls`,
      data: { Weight: "heavy", Priority: 10, Enabled: true, FriendlyName: "x", Bogus: "1" },
    });
    await expect(sent).resolves.toMatchObject({ statusCode: 400 });
    const message = thrownMessage(() => fake.assertNoViolations());
    expect(message).toMatch(/form\/Weight must be integer/);
    expect(message).toMatch(/form must have required property 'SipUrl'/);
    expect(message).toMatch(/form must NOT have additional properties \{"additionalProperty":"Bogus"\}/);
  });

  it("flags operations Twilio does not document and bad path parameters", async () => {
    const { client } = connectTwilio(staticProviderConfig(fake.stackConfig(PROJECT), PROJECT));
    await client.request({ method: "get", uri: "https://trunking.twilio.com/v1/Trunkz" });
    await client.request({ method: "get", uri: "https://trunking.twilio.com/v1/Trunks/not-a-sid" });
    expect(() => fake.assertNoViolations()).toThrow(/GET trunking\.twilio\.com\/v1\/Trunkz: no such operation[\s\S]*path\/Sid must match pattern/);
  });

  it("makes a provider call fail, not pass, when its request is rejected", async () => {
    await configureAll(fake);
    // A domain outside pstn.twilio.com passes no schema rule but Twilio's business rule: a 400, never a retry.
    const bad = trunkProvider.create({ friendlyName: "x", domainName: "x.example.com", secure: false, cnamLookupEnabled: false, transferMode: "disable-all" });
    await expect(bad).rejects.toThrow(/create failed: HTTP 400, Twilio error 21201: DomainName x\.example\.com must end with pstn\.twilio\.com/);
    expect(fake.requestsFor("CreateTrunk")).toHaveLength(1);
    fake.assertNoViolations();
  });
});

describe("response validation", () => {
  const createTrunk = validator.findOperation("trunking.twilio.com", "POST", "/v1/Trunks")!;

  it("finds operations by host, method and path", () => {
    expect(createTrunk.operationId).toBe("CreateTrunk");
    expect(validator.findOperation("api.twilio.com", "GET", `/2010-04-01/Accounts/AC${"a".repeat(32)}/IncomingPhoneNumbers/Local.json`)?.operationId).toBe(
      "ListIncomingPhoneNumberLocal",
    );
  });

  it("rejects bodies with a wrong type, a malformed SID or a missing documented field", () => {
    const problems = validator.validateResponse(createTrunk, 201, { sid: "TK123", secure: "yes" });
    expect(problems.join("\n")).toMatch(/sid must NOT have fewer than 34 characters/);
    expect(problems.join("\n")).toMatch(/secure must be boolean/);
    expect(problems.join("\n")).toMatch(/must have required property 'domain_name'/);
  });

  it("rejects statuses the operation does not document and malformed error bodies", () => {
    expect(validator.validateResponse(createTrunk, 200, {})).toEqual([expect.stringMatching(/status not documented for CreateTrunk \(documented: 201\)/)]);
    expect(validator.validateResponse(createTrunk, 404, { message: "nope" })).not.toEqual([]);
    expect(validator.validateResponse(createTrunk, 404, { code: 20404, message: "nope", more_info: "https://www.twilio.com/docs/errors/20404", status: 404 })).toEqual([]);
  });

  it("accepts Twilio's own documented examples for every operation the providers use", () => {
    // Twilio's examples put "" in application SIDs whose schema demands ^AP…; that is the one
    // known inconsistency between Twilio's examples and schemas, and the fake returns null there.
    const knownInconsistency = /(sms|voice)_application_sid must (NOT have fewer than 34 characters|match pattern)/;
    const used = /^\/v1\/Trunks|SIP\/(CredentialLists|IpAccessControlLists)|IncomingPhoneNumbers(\/\{Sid\})?\.json$/;
    let checked = 0;
    for (const [host, file] of [
      ["trunking.twilio.com", "twilio_trunking_v1.json"],
      ["api.twilio.com", "twilio_api_v2010.json"],
    ]) {
      const document = JSON.parse(fs.readFileSync(path.join(specDirectory(), file), "utf8"));
      for (const [template, item] of Object.entries<any>(document.paths)) {
        if (!used.test(template)) continue;
        for (const method of ["get", "post", "delete"]) {
          const op = item[method];
          for (const [status, response] of Object.entries<any>(op?.responses ?? {})) {
            for (const example of Object.values<any>(response.content?.["application/json"]?.examples ?? {})) {
              const operation = { operationId: op.operationId, host, method: method.toUpperCase(), template, pathParams: {} };
              const problems = validator.validateResponse(operation, Number(status), example.value).filter((p) => !knownInconsistency.test(p));
              expect({ operation: op.operationId, problems }).toEqual({ operation: op.operationId, problems: [] });
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});

/** The message `fn` throws; fails the test if it does not throw. */
function thrownMessage(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a throw");
}
