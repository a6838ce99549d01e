import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runtimeFilePaths, workerEnvPath } from "../../components/runtime-config";
import { hostFilesManifestName, installsSecret, type HostFileEntry, type HostFilesManifest } from "./host-files-manifest";
import type { RecordedResource } from "./mock-monitor";

// Every deployment step writes its stdin to a temp file and renames it into place
// (components/deployment/deploy-commands.ts `writeFileCommand`); the rename names the target.
const renameLine = /^sudo mv '([^']+)\.new' '\1'$/m;

/** Every file the single host is given. */
const singleHostPaths: readonly string[] = [...Object.values(runtimeFilePaths), workerEnvPath];

/** Every file a node of several is given: the single host's but redis.conf (Memorystore is its Redis). */
export const clusterNodePaths: readonly string[] = singleHostPaths.filter((hostPath) => hostPath !== runtimeFilePaths.redis);

/** A node's deployment components: `voice-deploy` and `voice-worker` for node 0, `voice-deploy-<i>` and `voice-worker-<i>` for node i. */
const nodeComponent = /^voice-(?:deploy|worker)(?:-(\d+))?$/;

/**
 * The resources of each node's deployment, by node index, from each resource's parent component
 * (`parents`: child name → parent name). Resources of no node's deployment are left out.
 */
export function resourcesByNode(resources: readonly RecordedResource[], parents: ReadonlyMap<string, string>): Map<number, RecordedResource[]> {
  const byNode = new Map<number, RecordedResource[]>();
  for (const resource of resources) {
    const match = nodeComponent.exec(parents.get(resource.name) ?? "");
    if (match === null) continue;
    const node = Number(match[1] ?? 0);
    byNode.set(node, [...(byNode.get(node) ?? []), resource]);
  }
  return new Map([...byNode].sort(([a], [b]) => a - b));
}

/** The folder of node `node`'s files under a plan's output folder (several nodes only). */
export function nodeOutDir(outDir: string, node: number): string {
  return path.join(outDir, `node-${node}`);
}

/** One file the plan wrote as the deployment would install it. */
export interface WrittenHostFile {
  /** Where the plan wrote it. */
  path: string;
  /** Whether it holds secrets (see {@link installsSecret}). */
  secret: boolean;
}

/**
 * Writes each file exactly as the deployment would copy it to the host: the stdin of every
 * remote step that installs a file, named after the file's path on the host, and beside them
 * {@link hostFilesManifestName}, which says which of them hold secrets. Returns the files written
 * (the manifest aside); throws when a `required` file (by host path: the single host's by default)
 * has no deployment step, or when two files
 * would get the same name in `outDir`.
 */
export function writeDeployedFiles(resources: readonly RecordedResource[], outDir: string, required: readonly string[] = singleHostPaths): WrittenHostFile[] {
  mkdirSync(outDir, { recursive: true });
  const deployed = new Map<string, { content: string; secret: boolean }>();
  for (const step of resources) {
    if (step.type !== "command:remote:Command" || typeof step.inputs.stdin !== "string") continue;
    const target = renameLine.exec(String(step.inputs.create ?? ""))?.[1];
    if (target !== undefined) deployed.set(target, { content: step.inputs.stdin, secret: installsSecret(step) });
  }
  const missing = required.filter((hostPath) => !deployed.has(hostPath));
  if (missing.length > 0) {
    throw new Error(`the program registered no deployment step for ${missing.join(", ")}`);
  }
  const entries: HostFileEntry[] = [...deployed].map(([hostPath, { secret }]) => ({ file: path.basename(hostPath), hostPath, secret }));
  // Files are named by base name only, so a clash would silently overwrite one with the other
  // and leave the manifest describing a file that is not there.
  const byName = new Map<string, string>([[hostFilesManifestName, "the plan's own manifest"]]);
  for (const { file, hostPath } of entries) {
    const other = byName.get(file);
    if (other !== undefined) throw new Error(`the plan cannot write ${hostPath} to ${outDir}: its name ${file} is also that of ${other}`);
    byName.set(file, hostPath);
  }
  const written = [...deployed].map(([hostPath, { content, secret }]) => {
    const target = path.join(outDir, path.basename(hostPath));
    writeFileSync(target, content, { mode: 0o600 });
    return { path: target, secret };
  });
  const manifest: HostFilesManifest = { files: entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)) };
  writeFileSync(path.join(outDir, hostFilesManifestName), `${JSON.stringify(manifest, null, 2)}\n`);
  return written;
}
