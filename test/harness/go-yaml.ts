import { spawnSync } from "node:child_process";
import { goToolPath, goTools, requireBinaries } from "./binaries";

/** What Go's yaml.v3 made of a document: its value, or its refusal. */
export type GoYamlReading = { value: unknown } | { error: string };

/**
 * Decodes `text` with gopkg.in/yaml.v3, the reader livekit-server and livekit-sip use, through the
 * harness's go-yaml-reader: the Go judge of what a rendered file says.
 */
export function readYamlWithGo(text: string): GoYamlReading {
  const binary = goToolPath(goTools.yamlReader);
  requireBinaries([binary]);
  const result = spawnSync(binary, { input: `${JSON.stringify(text)}\n`, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${binary} exited with status ${result.status}: ${result.error?.message ?? result.stderr}`);
  }
  return JSON.parse(result.stdout) as GoYamlReading;
}
