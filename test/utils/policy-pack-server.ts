import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type { Empty as EmptyType } from "google-protobuf/google/protobuf/empty_pb";
import type { Struct as StructType } from "google-protobuf/google/protobuf/struct_pb";
import { repoRoot } from "./offline-program";

// The gRPC and protobuf modules the SDK's generated stubs use, resolved from the SDK itself so
// messages and channels come from the same copies the stubs check against.
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc: typeof import("@grpc/grpc-js") = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] }));
const { Struct }: { Struct: typeof StructType } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));
const { Empty }: { Empty: typeof EmptyType } = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [sdkDir] }));
const { AnalyzerClient: Client }: { AnalyzerClient: typeof AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");

/** One diagnostic the pack returned. */
export interface PackDiagnostic {
  /** Policy that reported it. */
  policy: string;
  /** Its message. */
  message: string;
  /** 0 advisory, 1 mandatory (analyzer.proto's EnforcementLevel). */
  level: number;
}

/** Resource type, name and properties as the engine sends them. */
export interface WireResource {
  /** Type token. */
  type: string;
  /** Logical name. */
  name: string;
  /** Properties in Pulumi's wire form (secrets as signature objects, unknowns as sentinels). */
  props: Record<string, unknown>;
  /** Logical names of the resources each top-level property was computed from (`AnalyzeStack` only). */
  propertyDependencies?: Record<string, string[]>;
}

/** A policy pack served as the Pulumi CLI serves it, called as the engine calls it. */
export interface PolicyPackServer {
  /** `GetAnalyzerInfo`. */
  info(): Promise<analyzer.AnalyzerInfo>;
  /** `Analyze` of one resource's inputs. */
  analyze(resource: WireResource): Promise<PackDiagnostic[]>;
  /** `AnalyzeStack` over resources' outputs. */
  analyzeStack(resources: readonly WireResource[]): Promise<PackDiagnostic[]>;
  /** `Configure`: one policy's config, as `--policy-pack-config` carries it. */
  configure(policy: string, properties: Record<string, unknown>): Promise<void>;
  /** Everything the pack wrote to stderr so far. */
  stderr(): string;
  /** Stops the pack's process and closes the client. */
  stop(): Promise<void>;
}

/**
 * Starts the policy pack in `packDir` with the SDK's `run-policy-pack` entry point, the program
 * the CLI runs for a Node.js pack (`pulumi preview --policy-pack <dir>`): it compiles the pack's
 * TypeScript with ts-node (type checking on) and prints the port of its analyzer server.
 */
export function startPolicyPackServer(packDir: string, timeoutMs = 120_000): Promise<PolicyPackServer> {
  const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  // The engine address is only used to report program errors; a pack that loads never dials it.
  const child: ChildProcess = spawn(process.execPath, [entry, "127.0.0.1:1", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`policy pack in ${packDir} printed no port within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`policy pack in ${packDir} exited (code ${code}) before serving; stderr:\n${stderr}`));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = /^(\d+)\s*$/m.exec(stdout)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      resolve({
        info: () => unary<EmptyType, analyzer.AnalyzerInfo>((req, cb) => client.getAnalyzerInfo(req, cb), new Empty()),
        analyze: (resource) => unary<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>((req, cb) => client.analyze(req, cb), analyzeRequest(resource)).then(diagnostics),
        analyzeStack: (resources) =>
          unary<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>((req, cb) => client.analyzeStack(req, cb), analyzeStackRequest(resources)).then(diagnostics),
        configure: async (policy, properties) => {
          await unary<analyzer.ConfigureAnalyzerRequest, EmptyType>((req, cb) => client.configure(req, cb), configureRequest(policy, properties));
        },
        stderr: () => stderr,
        stop: async () => {
          client.close();
          await stop();
        },
      });
    });
  });
}

function unary<Req, Res>(invoke: (request: Req, callback: (error: Error | null, response: Res) => void) => unknown, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => invoke(request, (error, response) => (error ? reject(error) : resolve(response))));
}

function diagnostics(response: analyzer.AnalyzeResponse): PackDiagnostic[] {
  return response.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), message: d.getMessage(), level: d.getEnforcementlevel() }));
}

function resourceOptions(): analyzer.AnalyzerResourceOptions {
  return new analyzer.AnalyzerResourceOptions().setCustomtimeouts(new analyzer.AnalyzerResourceOptions.CustomTimeouts());
}

const urnOf = (r: WireResource): string => `urn:pulumi:prod::agent-studio-voice::${r.type}::${r.name}`;

function analyzeRequest(r: WireResource): analyzer.AnalyzeRequest {
  return new analyzer.AnalyzeRequest()
    .setType(r.type)
    .setName(r.name)
    .setUrn(urnOf(r))
    .setProperties(Struct.fromJavaScript(r.props as Record<string, any>))
    .setOptions(resourceOptions());
}

function analyzeStackRequest(resources: readonly WireResource[]): analyzer.AnalyzeStackRequest {
  const urnByName = new Map(resources.map((r) => [r.name, urnOf(r)]));
  return new analyzer.AnalyzeStackRequest().setResourcesList(
    resources.map((r) => {
      const resource = new analyzer.AnalyzerResource()
        .setType(r.type)
        .setName(r.name)
        .setUrn(urnOf(r))
        .setProperties(Struct.fromJavaScript(r.props as Record<string, any>))
        .setOptions(resourceOptions());
      // The engine records, per property, the URNs of the resources its value was computed from.
      for (const [property, names] of Object.entries(r.propertyDependencies ?? {})) {
        const urns = names.map((n) => urnByName.get(n) ?? `urn:pulumi:prod::agent-studio-voice::unknown::${n}`);
        resource.getPropertydependenciesMap().set(property, new analyzer.AnalyzerPropertyDependencies().setUrnsList(urns));
        resource.setDependenciesList([...new Set([...resource.getDependenciesList(), ...urns])]);
      }
      return resource;
    }),
  );
}

function configureRequest(policy: string, properties: Record<string, unknown>): analyzer.ConfigureAnalyzerRequest {
  const request = new analyzer.ConfigureAnalyzerRequest();
  const config = new analyzer.PolicyConfig()
    .setEnforcementlevel(analyzer.EnforcementLevel.MANDATORY)
    .setProperties(Struct.fromJavaScript(properties as Record<string, any>));
  request.getPolicyconfigMap().set(policy, config);
  return request;
}

/** Where the project's policy pack lives. */
export const policyPackDir = path.join(repoRoot, "policy");
