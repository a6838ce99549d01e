/**
 * Validates HTTP requests and responses against Twilio's official OpenAPI documents
 * (`twilio_trunking_v1.json`, `twilio_api_v2010.json` from the npm package
 * `@twilio-alpha/mcp`, `twilio-oai/spec/json/`), so the fake cannot drift from the real API
 * and the providers cannot send what Twilio would reject.
 *
 * Requests: the operation must exist for (host, method, path); path and query parameters and
 * the form body must match the operation's schemas, with no undocumented query or form
 * parameter; Basic auth must be present (the documents' only security scheme).
 * Responses: a documented status must carry a body matching its schema, with every documented
 * property present (Twilio returns all fields, null when empty); an undocumented status must
 * be an error (>= 400) with Twilio's REST error body.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as fs from "node:fs";
import * as path from "node:path";

/** The two documents, by the API host they describe. */
const SPEC_FILES: Record<string, string> = {
  "trunking.twilio.com": "twilio_trunking_v1.json",
  "api.twilio.com": "twilio_api_v2010.json",
};

/** Directory of Twilio's OpenAPI JSON documents in the installed `@twilio-alpha/mcp`. */
export function specDirectory(): string {
  return path.join(path.dirname(require.resolve("@twilio-alpha/mcp/package.json")), "twilio-oai", "spec", "json");
}

/**
 * Twilio's REST error body (https://www.twilio.com/docs/usage/twilios-response): the documents
 * declare no error responses, so this shape is checked for every undocumented >= 400 status.
 */
const ERROR_BODY_SCHEMA = {
  type: "object",
  required: ["code", "message", "more_info", "status"],
  additionalProperties: false,
  properties: {
    code: { type: "integer" },
    message: { type: "string", minLength: 1 },
    more_info: { type: "string", format: "uri" },
    status: { type: "integer", minimum: 400, maximum: 599 },
  },
};

/** What one request looked like on the wire. */
export interface WireRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Twilio API host the request was for, e.g. `trunking.twilio.com`. */
  host: string;
  /** Path without query string, e.g. `/v1/Trunks`. */
  path: string;
  /** Query parameters (repeated keys become arrays). */
  query: Record<string, string | string[]>;
  /** Form parameters (repeated keys become arrays); empty for GET/DELETE. */
  form: Record<string, string | string[]>;
  /** Raw body length in bytes. */
  bodyLength: number;
  /** `Content-Type` header, if any. */
  contentType: string | undefined;
  /** `Authorization` header, if any. */
  authorization: string | undefined;
}

/** One documented operation, compiled. */
export interface SpecOperation {
  /** Twilio's operationId, e.g. `CreateTrunk`. */
  operationId: string;
  /** API host. */
  host: string;
  /** Upper-case method. */
  method: string;
  /** Path template, e.g. `/v1/Trunks/{Sid}`. */
  template: string;
  /** Path parameter values once matched. */
  pathParams: Record<string, string>;
}

interface CompiledOperation {
  operationId: string;
  host: string;
  method: string;
  template: string;
  regex: RegExp;
  paramNames: string[];
  /** Documented response statuses. */
  statuses: number[];
  /** Validators, compiled on first use (the api document has hundreds of operations). */
  validators: () => OperationValidators;
}

interface OperationValidators {
  path: ValidateFunction;
  query: ValidateFunction;
  body: ValidateFunction | undefined;
  responses: Map<number, ValidateFunction | undefined>;
}

/** Points local `#/…` references of a schema fragment at the document registered as `documentId`. */
function rebaseRefs(node: unknown, documentId: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rebaseRefs(item, documentId));
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === "$ref" && typeof value === "string" && value.startsWith("#") ? `${documentId}${value}` : rebaseRefs(value, documentId),
    ]),
  );
}

/** Escapes a JSON pointer segment. */
function pointer(...segments: string[]): string {
  return segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/** Adds `required: [every property]` to every object schema in a response document copy. */
function requireAllProperties(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(requireAllProperties);
  if (typeof node !== "object" || node === null) return;
  const record = node as Record<string, unknown>;
  if (record.properties && typeof record.properties === "object" && !Array.isArray(record.properties)) {
    record.required = Object.keys(record.properties as object);
  }
  for (const [key, value] of Object.entries(record)) {
    if (key !== "examples" && key !== "example") requireAllProperties(value);
  }
}

/**
 * Maps OpenAPI 3.0's `nullable` onto what ajv implements: without a `type` it has no effect
 * (ajv rejects it there), and with an `enum` it admits null, as OpenAPI 3.0.3 clarifies.
 */
function normalizeNullable(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(normalizeNullable);
  if (typeof node !== "object" || node === null) return;
  const record = node as Record<string, unknown>;
  if (record.nullable === true && record.type === undefined) delete record.nullable;
  if (record.nullable === true && Array.isArray(record.enum) && !record.enum.includes(null)) record.enum = [...record.enum, null];
  for (const [key, value] of Object.entries(record)) {
    if (key !== "examples" && key !== "example") normalizeNullable(value);
  }
}

/** Formats Twilio's documents use beyond JSON Schema's, each checked as Twilio documents it. */
function addTwilioFormats(ajv: Ajv): void {
  addFormats(ajv);
  // Twilio marks relative `*_uri` fields (e.g. `first_page_uri`) as `uri`, and its own examples
  // carry relative values and empty strings there, so `uri` is checked as a URI reference.
  ajv.addFormat("uri", { type: "string", validate: (v: string) => v === "" || /^(?:[a-z][a-z0-9+.-]*:|\/)[^\s]*$/i.test(v) });
  ajv.addFormat("date-time-rfc-2822", /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
  ajv.addFormat("phone-number", /^\+[1-9]\d{1,14}$/);
  ajv.addFormat("http-method", /^(GET|POST|PUT|DELETE|HEAD|PATCH)$/);
  ajv.addFormat("iso-country-code", /^[A-Z]{2}$/);
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  for (const objectFormat of ["uri-map", "string-map", "phone-number-capabilities"]) {
    ajv.addFormat(objectFormat, { type: "string", validate: () => false });
  }
  for (const opaque of ["currency", "endpoint", "twiml", "ice-server"]) ajv.addFormat(opaque, true);
}

/** Renders ajv errors as one line each. */
function describeErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${where}${e.instancePath || ""} ${e.message ?? "is invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}

/** Validates traffic against Twilio's OpenAPI documents. */
export class TwilioOpenApiValidator {
  private readonly operations: CompiledOperation[] = [];
  private readonly validateError: ValidateFunction;

  constructor(directory: string = specDirectory()) {
    // Requests arrive as strings (query, form), so their validator coerces scalars to the
    // documented types; responses are JSON and are checked exactly.
    const requestAjv = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
    const responseAjv = new Ajv({ strict: false, allErrors: true });
    addTwilioFormats(requestAjv);
    addTwilioFormats(responseAjv);
    this.validateError = responseAjv.compile(ERROR_BODY_SCHEMA);

    for (const [host, file] of Object.entries(SPEC_FILES)) {
      const document = JSON.parse(fs.readFileSync(path.join(directory, file), "utf8"));
      normalizeNullable(document);
      const requestDoc = structuredClone(document);
      const responseDoc = structuredClone(document);
      requireAllProperties(responseDoc.components);
      requireAllProperties(responseDoc.paths);
      requestAjv.addSchema(requestDoc, `request-${file}`);
      responseAjv.addSchema(responseDoc, `response-${file}`);

      for (const [template, item] of Object.entries<Record<string, any>>(document.paths)) {
        for (const method of ["get", "post", "delete"]) {
          const op = item[method];
          if (!op) continue;
          const form = op.requestBody?.content?.["application/x-www-form-urlencoded"]?.schema;
          if (form) {
            // Twilio ignores unknown form parameters; the fake rejects them so a typo cannot pass.
            requestDoc.paths[template][method].requestBody.content["application/x-www-form-urlencoded"].schema.additionalProperties = false;
          }
          const paramNames = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
          const regexSource = template
            .split(/\{\w+\}/)
            .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
            .join("([^/]+?)");
          let compiled: OperationValidators | undefined;
          const validators = (): OperationValidators => {
            if (compiled) return compiled;
            const params: any[] = op.parameters ?? [];
            const paramsSchema = (location: string) =>
              rebaseRefs(
                {
                  type: "object",
                  additionalProperties: false,
                  properties: Object.fromEntries(params.filter((p) => p.in === location).map((p) => [p.name, p.schema])),
                  required: params.filter((p) => p.in === location && p.required).map((p) => p.name),
                },
                `request-${file}`,
              ) as object;
            const responses = new Map<number, ValidateFunction | undefined>();
            for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
              const hasBody = response.content?.["application/json"]?.schema !== undefined;
              const ref = `response-${file}#/${pointer("paths", template, method, "responses", status, "content", "application/json", "schema")}`;
              responses.set(Number(status), hasBody ? responseAjv.compile({ $ref: ref }) : undefined);
            }
            const bodyRef = `request-${file}#/${pointer("paths", template, method, "requestBody", "content", "application/x-www-form-urlencoded", "schema")}`;
            compiled = {
              path: requestAjv.compile(paramsSchema("path")),
              query: requestAjv.compile(paramsSchema("query")),
              body: form ? requestAjv.compile({ $ref: bodyRef }) : undefined,
              responses,
            };
            return compiled;
          };
          this.operations.push({
            operationId: op.operationId,
            host,
            method: method.toUpperCase(),
            template,
            regex: new RegExp(`^${regexSource}$`),
            paramNames,
            statuses: Object.keys(op.responses ?? {}).map(Number),
            validators,
          });
        }
      }
    }
    // Literal segments win over parameters (`IncomingPhoneNumbers/Local.json` before `{Sid}.json`).
    this.operations.sort((a, b) => a.paramNames.length - b.paramNames.length);
  }

  /** Finds the documented operation for a request, or undefined. */
  findOperation(host: string, method: string, requestPath: string): SpecOperation | undefined {
    const compiled = this.match(host, method, requestPath);
    return compiled && { ...this.publicOf(compiled.op), pathParams: compiled.pathParams };
  }

  /** Every problem with a request; empty when it matches the documents. */
  validateRequest(request: WireRequest): { operation: SpecOperation | undefined; problems: string[] } {
    const where = `${request.method} ${request.host}${request.path}`;
    const matched = this.match(request.host, request.method, request.path);
    if (!matched) return { operation: undefined, problems: [`${where}: no such operation in Twilio's OpenAPI documents`] };
    const { op, pathParams } = matched;
    const problems: string[] = [];
    if (!/^Basic [A-Za-z0-9+/=]+$/.test(request.authorization ?? "")) problems.push(`${where}: missing HTTP Basic authorization`);
    const validators = op.validators();
    if (!validators.path({ ...pathParams })) problems.push(...describeErrors(`${where} path`, validators.path.errors));
    if (!validators.query(structuredClone(request.query))) problems.push(...describeErrors(`${where} query`, validators.query.errors));
    if (validators.body) {
      if (!request.contentType?.startsWith("application/x-www-form-urlencoded")) {
        problems.push(`${where}: Content-Type must be application/x-www-form-urlencoded, got ${request.contentType ?? "none"}`);
      }
      if (!validators.body(structuredClone(request.form))) problems.push(...describeErrors(`${where} form`, validators.body.errors));
    } else if (request.bodyLength > 0) {
      problems.push(`${where}: operation ${op.operationId} takes no request body`);
    }
    return { operation: { ...this.publicOf(op), pathParams }, problems };
  }

  /** Every problem with a response to `operation`; empty when it matches the documents. */
  validateResponse(operation: SpecOperation, status: number, body: unknown): string[] {
    const where = `${operation.operationId} response ${status}`;
    const op = this.operations.find((o) => o.operationId === operation.operationId && o.host === operation.host);
    if (!op) return [`${where}: unknown operation`];
    const { responses } = op.validators();
    if (responses.has(status)) {
      const validate = responses.get(status);
      if (validate === undefined) return body === undefined ? [] : [`${where}: documented without a body but one was sent`];
      return validate(body) ? [] : describeErrors(`${where} body`, validate.errors);
    }
    if (status < 400) return [`${where}: status not documented for ${op.operationId} (documented: ${op.statuses.join(", ")})`];
    return this.validateError(body) ? [] : describeErrors(`${where} error body`, this.validateError.errors);
  }

  private match(host: string, method: string, requestPath: string): { op: CompiledOperation; pathParams: Record<string, string> } | undefined {
    for (const op of this.operations) {
      if (op.host !== host || op.method !== method) continue;
      const m = op.regex.exec(requestPath);
      if (m) return { op, pathParams: Object.fromEntries(op.paramNames.map((name, i) => [name, decodeURIComponent(m[i + 1])])) };
    }
    return undefined;
  }

  private publicOf(op: CompiledOperation): Omit<SpecOperation, "pathParams"> {
    return { operationId: op.operationId, host: op.host, method: op.method, template: op.template };
  }
}
