import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { alertRules } from "../../components/observability/alert-rules";
import type { RecordedResource } from "./mock-monitor";

const alertPolicyType = "gcp:monitoring/alertPolicy:AlertPolicy";
const dashboardType = "gcp:monitoring/dashboard:Dashboard";

/** Name of the dashboard's JSON the plan writes beside the host files. */
export const dashboardFileName = "dashboard.json";

/**
 * One line per alert policy the program declares: its display name, its threshold and the
 * channels it notifies (a policy notifying nobody is shown as such).
 */
export function describeAlerts(resources: readonly RecordedResource[]): string[] {
  const rules = alertRules();
  return resources
    .filter((r) => r.type === alertPolicyType)
    .map((policy) => {
      const rule = rules.find((candidate) => policy.name.endsWith(`-${candidate.id}`));
      const channels = Array.isArray(policy.inputs.notificationChannels) ? policy.inputs.notificationChannels : [];
      return `${policy.inputs.displayName}: ${rule?.threshold ?? "(no rule)"} → ${channels.length > 0 ? channels.join(", ") : "NOBODY"}`;
    });
}

/** Writes the dashboard's JSON (as Cloud Monitoring receives it) to `outDir`; returns its path, or undefined without a dashboard. */
export function writeDashboard(resources: readonly RecordedResource[], outDir: string): string | undefined {
  const dashboard = resources.find((r) => r.type === dashboardType);
  if (typeof dashboard?.inputs.dashboardJson !== "string") return undefined;
  const target = path.join(outDir, dashboardFileName);
  writeFileSync(target, `${dashboard.inputs.dashboardJson}\n`);
  return target;
}
