import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runtimeFilePaths, workerEnvPath } from "../../components/runtime-config";
import type { RecordedResource } from "./mock-monitor";

// Every deployment step writes its stdin to a temp file and renames it into place
// (components/deployment/deploy-commands.ts `writeFileCommand`); the rename names the target.
const renameLine = /^sudo mv '([^']+)\.new' '\1'$/m;

/**
 * Writes each file exactly as the deployment would copy it to the host: the stdin of every
 * remote step that installs a file, named after the file's path on the host. Returns the paths
 * written; throws when a runtime file has no deployment step.
 */
export function writeDeployedFiles(resources: readonly RecordedResource[], outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const deployed = new Map<string, string>();
  for (const step of resources) {
    if (step.type !== "command:remote:Command" || typeof step.inputs.stdin !== "string") continue;
    const target = renameLine.exec(String(step.inputs.create ?? ""))?.[1];
    if (target !== undefined) deployed.set(target, step.inputs.stdin);
  }
  const missing = [...Object.values(runtimeFilePaths), workerEnvPath].filter((hostPath) => !deployed.has(hostPath));
  if (missing.length > 0) {
    throw new Error(`the program registered no deployment step for ${missing.join(", ")}`);
  }
  return [...deployed].map(([hostPath, content]) => {
    const target = path.join(outDir, path.basename(hostPath));
    writeFileSync(target, content, { mode: 0o600 });
    return target;
  });
}
