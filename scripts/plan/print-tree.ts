import { describe } from "./describe";
import type { RecordedResource } from "./mock-monitor";

/**
 * Renders the registered resources as a tree (components with their children), one line per
 * resource: type, name and key properties.
 */
export function printTree(resources: readonly RecordedResource[], parents: ReadonlyMap<string, string>): string {
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const resource of resources) {
    const parent = parents.get(resource.name);
    children.set(parent, [...(children.get(parent) ?? []), resource]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, indent: string): void => {
    const kids = children.get(parent) ?? [];
    kids.forEach((resource, index) => {
      const last = index === kids.length - 1;
      const details = describe(resource);
      lines.push(`${indent}${last ? "└─" : "├─"} ${resource.name} (${resource.type})${details ? `  ${details}` : ""}`);
      walk(resource.name, `${indent}${last ? "   " : "│  "}`);
    });
  };
  walk(undefined, "");
  return lines.join("\n");
}
