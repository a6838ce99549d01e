import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runtimeFilePaths, type RuntimeFileId } from "../../components/runtime-config";
import type { RecordedResource } from "./mock-monitor";

/**
 * Writes each runtime file exactly as the deployment would copy it to the host: the stdin of the
 * deployment step named `<deployment>-<fileId>`. Returns the paths written.
 */
export function writeDeployedFiles(resources: readonly RecordedResource[], outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [id, hostPath] of Object.entries(runtimeFilePaths) as [RuntimeFileId, string][]) {
    const step = resources.find((r) => r.type === "command:remote:Command" && r.name.endsWith(`-${id}`) && typeof r.inputs.stdin === "string");
    if (!step) {
      throw new Error(`the program registered no deployment step for ${id} (${hostPath})`);
    }
    const target = path.join(outDir, path.basename(hostPath));
    writeFileSync(target, step.inputs.stdin, { mode: 0o600 });
    written.push(target);
  }
  return written;
}
