/**
 * A stateful fake of the Twilio REST API on loopback for the Twilio providers' integration
 * tests. The real twilio SDK talks to it over HTTP (through the providers' `twilioApiBaseUrl`
 * seam: `http://127.0.0.1:<port>/<twilio host>/<path>`). Every request and every response is
 * validated against Twilio's OpenAPI documents; violations are answered with HTTP 400 and
 * recorded, and {@link FakeTwilio.assertNoViolations} fails the test that caused them.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { TwilioOpenApiValidator, type WireRequest } from "./openapi-validator";
import { newSid, twilioError, TwilioAccountState, type Reply } from "./twilio-state";

/** A response the fake returns instead of handling a matching request. */
export interface Fault {
  /** Method to match (upper case). Defaults to any. */
  method?: string;
  /** Operation to match, by Twilio's operationId (e.g. `CreateTrunk`). Defaults to any. */
  operationId?: string;
  /** HTTP status to answer with (e.g. 429, 503). */
  status: number;
  /** Error message to send. Defaults to Twilio's wording for the status. */
  message?: string;
  /** `Retry-After` header value to send, if any. */
  retryAfter?: string;
  /** How many matching requests to fail. Defaults to 1; `Infinity` fails every one. */
  times?: number;
}

/** One request the fake received, for assertions. */
export interface ReceivedRequest {
  method: string;
  host: string;
  path: string;
  operationId: string | undefined;
  form: Record<string, string | string[]>;
  status: number;
}

/** Credentials the fake accepts. */
export interface FakeCredentials {
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
}

/** Parses a query string or form body, turning repeated keys into arrays. */
function parseParams(text: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = result[key];
    result[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}

/** The fake Twilio API: state, validator and HTTP server. */
export class FakeTwilio {
  /** Credentials the fake accepts (auth token or API key pair). */
  readonly credentials: FakeCredentials = {
    accountSid: newSid("AC"),
    authToken: `tok${newSid("").slice(0, 29)}`,
    apiKeySid: newSid("SK"),
    apiKeySecret: `sec${newSid("").slice(0, 29)}`,
  };
  /** The account's state, for seeding and out-of-band changes. */
  readonly state = new TwilioAccountState(this.credentials.accountSid);
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[] = [];
  /** Every request or response that broke Twilio's OpenAPI documents. */
  readonly violations: string[] = [];

  private readonly faults: Fault[] = [];
  private server: http.Server | undefined;

  private constructor(private readonly validator: TwilioOpenApiValidator) {}

  /** Starts a fake on a free loopback port. */
  static async start(validator: TwilioOpenApiValidator = new TwilioOpenApiValidator()): Promise<FakeTwilio> {
    const fake = new FakeTwilio(validator);
    fake.server = http.createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  /** Base URL to give the providers as `twilioApiBaseUrl`. */
  get baseUrl(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Stack config (project-namespaced) that points the providers at this fake. */
  stackConfig(project: string, auth: "authToken" | "apiKey" = "authToken"): Record<string, string> {
    const c = this.credentials;
    return {
      [`${project}:twilioAccountSid`]: c.accountSid,
      [`${project}:twilioApiBaseUrl`]: this.baseUrl,
      ...(auth === "authToken"
        ? { [`${project}:twilioAuthToken`]: c.authToken }
        : { [`${project}:twilioApiKeySid`]: c.apiKeySid, [`${project}:twilioApiKeySecret`]: c.apiKeySecret }),
    };
  }

  /** Makes the next matching request(s) fail with `fault.status`. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Requests for one operation. */
  requestsFor(operationId: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  /** Throws listing every schema violation seen so far (then forgets them). */
  assertNoViolations(): void {
    const seen = this.violations.splice(0);
    if (seen.length > 0) throw new Error(`Twilio OpenAPI violations:\n${seen.join("\n")}`);
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const [, host, ...rest] = url.pathname.split("/");
    const wire: WireRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      host,
      path: `/${rest.join("/")}`,
      query: parseParams(url.search.slice(1)),
      form: req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded") ? parseParams(raw) : {},
      bodyLength: raw.length,
      contentType: req.headers["content-type"],
      authorization: req.headers.authorization,
    };
    const { operation, problems } = this.validator.validateRequest(wire);
    let reply: Reply;
    let retryAfter: string | undefined;
    if (problems.length > 0) {
      this.violations.push(...problems.map((p) => `request ${p}`));
      reply = twilioError(400, 20001, `Request does not match Twilio's OpenAPI documents: ${problems.join("; ")}`);
    } else if (!this.authorized(wire.authorization)) {
      reply = twilioError(401, 20003, "Authenticate");
    } else if (operation!.pathParams.AccountSid !== undefined && operation!.pathParams.AccountSid !== this.credentials.accountSid) {
      reply = twilioError(404, 20404, `The requested resource /Accounts/${operation!.pathParams.AccountSid} was not found`);
    } else {
      const fault = this.takeFault(wire.method, operation!.operationId);
      if (fault) {
        retryAfter = fault.retryAfter;
        const wording = fault.status === 429 ? "Too Many Requests" : fault.status >= 500 ? "Service is unavailable" : "Bad request";
        reply = twilioError(fault.status, 20000 + fault.status, fault.message ?? wording);
      } else {
        const handler = this.state.handlers[operation!.operationId];
        reply = handler
          ? handler({ params: operation!.pathParams, form: wire.form, query: wire.query })
          : twilioError(501, 20501, `The fake does not implement ${operation!.operationId}`);
      }
    }
    if (operation) {
      const responseProblems = this.validator.validateResponse(operation, reply.status, reply.body);
      this.violations.push(...responseProblems.map((p) => `response ${p}`));
    }
    this.requests.push({ method: wire.method, host, path: wire.path, operationId: operation?.operationId, form: wire.form, status: reply.status });
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (retryAfter !== undefined) headers["Retry-After"] = retryAfter;
    res.writeHead(reply.status, headers);
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  private authorized(header: string | undefined): boolean {
    const decoded = Buffer.from((header ?? "").replace(/^Basic /, ""), "base64").toString("utf8");
    const c = this.credentials;
    return decoded === `${c.accountSid}:${c.authToken}` || decoded === `${c.apiKeySid}:${c.apiKeySecret}`;
  }

  private takeFault(method: string, operationId: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) => (f.method === undefined || f.method === method) && (f.operationId === undefined || f.operationId === operationId),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }
}
