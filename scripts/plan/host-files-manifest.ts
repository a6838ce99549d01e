import { z } from "zod";
import type { RecordedResource } from "./mock-monitor";

/**
 * Name of the manifest the offline plan writes beside the host files in out/<stack>/: for each
 * file, its path on the host and whether it holds secrets. The plan diff reads it to decide what
 * it may show.
 */
export const hostFilesManifestName = "host-files.json";

/** One host file the plan wrote. */
export interface HostFileEntry {
  /** File name in the plan's output directory (the host path's base name). */
  file: string;
  /** Absolute path on the host. */
  hostPath: string;
  /** Whether the content holds a secret (the deployment step's stdin was a Pulumi secret). */
  secret: boolean;
}

/** Content of {@link hostFilesManifestName}. */
export interface HostFilesManifest {
  /** Every host file the plan wrote, sorted by file name. */
  files: HostFileEntry[];
}

/** Schema of {@link HostFilesManifest}, for reading a manifest written by another checkout. */
export const hostFilesManifestSchema = z.object({
  files: z.array(z.object({ file: z.string().min(1), hostPath: z.string().min(1), secret: z.boolean() })),
});

/**
 * Whether a deployment step installs secret-bearing content. The program marks a file's content
 * secret exactly when it was rendered from a secret, and the step receives it as its `stdin`
 * input; so the mark on `stdin` is the contract, not the file's name.
 */
export function installsSecret(step: RecordedResource): boolean {
  return step.secretInputs.includes("stdin");
}
