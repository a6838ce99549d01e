/**
 * Offline plan: runs the whole Pulumi program in this process under Pulumi's mock runtime with a
 * stack's Pulumi.<stack>.yaml, prints what it would create and its alerts, and writes every rendered
 * runtime file (the Ops Agent's config.yaml among them) and the dashboard's JSON to out/<stack>/;
 * with several nodes each node's files go to out/<stack>/node-<i>/.
 * No Pulumi CLI, credentials or network.
 *
 *   npm run plan -- --stack prod [--out out/prod]
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { projectNamespace } from "../components/config/fields";
import { describeAlerts, writeDashboard } from "./plan/alerts";
import { hostFilesManifestName } from "./plan/host-files-manifest";
import { printTree } from "./plan/print-tree";
import { runOffline } from "./plan/run-offline";
import { readStackFile } from "./plan/stack-file";
import { clusterNodePaths, nodeOutDir, resourcesByNode, writeDeployedFiles, type WrittenHostFile } from "./plan/write-files";

const projectRoot = path.join(__dirname, "..");

/** The image of every service in the compose file the deployment copies to the host. */
function composeImages(resources: readonly { name: string; inputs: Record<string, any> }[]): string[] {
  const step = resources.find((r) => r.name.endsWith("-compose") && typeof r.inputs.stdin === "string");
  const compose = parse(step?.inputs.stdin ?? "") as { services?: Record<string, { image?: string }> } | null;
  return Object.entries(compose?.services ?? {}).map(([service, spec]) => `${service}: ${spec.image ?? "(no image)"}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { stack: { type: "string" }, out: { type: "string" } } });
  const stack = values.stack;
  if (!stack) {
    console.error("usage: npm run plan -- --stack <name> [--out <dir>]   (reads Pulumi.<name>.yaml)");
    return 2;
  }
  const stackFile = path.join(projectRoot, `Pulumi.${stack}.yaml`);
  if (!existsSync(stackFile)) {
    console.error(`No stack file ${path.relative(process.cwd(), stackFile)}: create it with \`pulumi stack init ${stack}\` and \`pulumi config set ...\` (see README).`);
    return 2;
  }
  const outDir = path.resolve(values.out ?? path.join(projectRoot, "out", stack));

  const raw = readStackFile(stackFile);
  let run;
  try {
    run = await runOffline(projectNamespace, stack, raw);
  } catch (error) {
    if (error instanceof pulumi.RunError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const resources = run.monitor.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");

  console.log(`Offline plan of stack "${stack}" (mock runtime: nothing is created)`);
  console.log(`${resources.filter((r) => r.custom).length} resources in ${resources.filter((r) => !r.custom).length} components\n`);
  console.log(printTree(resources, run.parents));
  console.log("\nImages (from the deployed docker-compose.yml):");
  for (const image of composeImages(resources)) console.log(`  ${image}`);
  console.log("\nOutputs:");
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`  ${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  console.log("\nAlerts (threshold → notification channels):");
  for (const line of describeAlerts(resources)) console.log(`  ${line}`);
  const byNode = resourcesByNode(resources, run.parents);
  // One host keeps the flat out/<stack>/ layout; several nodes get a folder each.
  const folders: [string, () => WrittenHostFile[]][] =
    byNode.size <= 1
      ? [[outDir, () => writeDeployedFiles(resources, outDir)]]
      : [...byNode].map(([node, steps]) => [nodeOutDir(outDir, node), () => writeDeployedFiles(steps, nodeOutDir(outDir, node), clusterNodePaths)]);
  if (byNode.size > 1) console.log(`\n${byNode.size} nodes: ${[...byNode.keys()].map((node) => `node-${node}`).join(", ")}`);
  for (const [folder, write] of folders) {
    const written = write();
    console.log(`\nRendered files (as deployed to the host) in ${path.relative(process.cwd(), folder) || "."}:`);
    for (const file of written) console.log(`  ${path.relative(process.cwd(), file.path)}${file.secret ? "  (holds secrets)" : ""}`);
    console.log(`  ${path.relative(process.cwd(), path.join(folder, hostFilesManifestName))}  (which files hold secrets, for npm run plan-diff)`);
  }
  const dashboard = writeDashboard(resources, outDir);
  if (dashboard) console.log(`  ${path.relative(process.cwd(), dashboard)}  (the on-call dashboard, as Cloud Monitoring receives it)`);
  if (raw.placeholders.length > 0) {
    const listed = raw.placeholders.map((p) => `${p.key} (${p.reason})`).join(", ");
    console.log(`\nSecrets replaced by placeholders (the stack file does not hold them, or the plan cannot decrypt them): ${listed}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
