import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { hostFilesManifestName, hostFilesManifestSchema } from "./host-files-manifest";

/** One host file as an offline plan wrote it. */
export interface PlannedHostFile {
  /** File content. */
  content: string;
  /** Whether it may hold secrets: as the manifest says, or always when the plan has no manifest. */
  secret: boolean;
  /** Path on the host, when the manifest gives it. */
  hostPath?: string;
}

/** The host files of one offline plan (`npm run plan -- --out <dir>`). */
export interface PlanOutput {
  /** Files by name in the output directory. */
  files: Map<string, PlannedHostFile>;
  /** Whether the plan wrote {@link hostFilesManifestName} (plans older than it did not). */
  hasManifest: boolean;
}

/**
 * Reads the host files an offline plan wrote to `dir`. With a manifest, exactly the files it
 * lists, each secret or not as it says. Without one (a plan from before the manifest existed),
 * every regular file in `dir`, each taken as holding secrets: nothing else says which do. The plan
 * of a stack with several nodes wrote each node's files to `node-<i>/`: they are read as
 * `node-<i>/<file>`.
 */
export function readPlanOutput(dir: string): PlanOutput {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`${dir} is not a plan's output directory: write one with \`npm run plan -- --stack <stack> --out ${dir}\``);
  }
  const manifestFile = path.join(dir, hostFilesManifestName);
  const nodeDirs = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^node-\d+$/.test(entry.name) && existsSync(path.join(dir, entry.name, hostFilesManifestName)))
    .map((entry) => entry.name)
    .sort();
  if (!existsSync(manifestFile) && nodeDirs.length > 0) {
    const files = new Map<string, PlannedHostFile>();
    for (const node of nodeDirs) {
      for (const [file, planned] of readPlanOutput(path.join(dir, node)).files) files.set(`${node}/${file}`, planned);
    }
    return { files, hasManifest: true };
  }
  if (!existsSync(manifestFile)) {
    const names = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
    return { files: new Map(names.map((name) => [name, { content: readFileSync(path.join(dir, name), "utf8"), secret: true }])), hasManifest: false };
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(manifestFile, "utf8"));
  } catch (error) {
    throw new Error(`${manifestFile} is not JSON (${(error as Error).message}): write the plan again with \`npm run plan -- --stack <stack> --out ${dir}\``);
  }
  const manifest = hostFilesManifestSchema.safeParse(json);
  if (!manifest.success) {
    throw new Error(`${manifestFile} is not a host files manifest (${manifest.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}): write the plan again with \`npm run plan -- --stack <stack> --out ${dir}\``);
  }
  const files = new Map<string, PlannedHostFile>();
  for (const { file, hostPath, secret } of manifest.data.files) {
    // The manifest names files in its own directory only; a path would read outside it.
    if (path.basename(file) !== file) throw new Error(`${manifestFile} lists "${file}", which is not a plain file name`);
    const target = path.join(dir, file);
    if (!existsSync(target)) {
      throw new Error(`${manifestFile} lists ${file}, which is not in ${dir}: write the plan again with \`npm run plan -- --stack <stack> --out ${dir}\``);
    }
    files.set(file, { content: readFileSync(target, "utf8"), secret, hostPath });
  }
  return { files, hasManifest: true };
}
