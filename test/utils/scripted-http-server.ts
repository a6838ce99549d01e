import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the server answers to one request. */
export interface ScriptedResponse {
  /** HTTP status. */
  status: number;
  /** Raw body, sent exactly as given (truncated JSON, HTML…). Defaults to empty. */
  body?: string;
  /** Response headers. Defaults to `content-type: application/json`. */
  headers?: Record<string, string>;
}

/** One request the server received. */
export interface ReceivedRequest {
  /** HTTP method. */
  method: string;
  /** Path and query. */
  url: string;
}

/** A loopback HTTP server that answers every request from a script, for malformed-response tests. */
export interface ScriptedHttpServer {
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  /** Requests received so far, in order. */
  requests: ReceivedRequest[];
  /** Replaces the script. */
  answer(script: (request: ReceivedRequest) => ScriptedResponse): void;
  /** Closes the server. */
  close(): Promise<void>;
}

/** Starts a {@link ScriptedHttpServer} on 127.0.0.1 and a free port; it answers 500 until scripted. */
export async function startScriptedHttpServer(): Promise<ScriptedHttpServer> {
  let script: (request: ReceivedRequest) => ScriptedResponse = () => ({ status: 500, body: "unscripted" });
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on("end", () => {
      const request = { method: req.method ?? "GET", url: req.url ?? "/" };
      requests.push(request);
      const { status, body = "", headers = { "content-type": "application/json" } } = script(request);
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    answer: (next) => {
      script = next;
    },
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
