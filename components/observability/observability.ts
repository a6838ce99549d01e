import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { alertRules, type AlertRule, type HostIds } from "./alert-rules";
import { renderDashboardJson } from "./dashboard";
import { alertDocumentation } from "./runbook";

/** Arguments of {@link Observability}. */
export interface ObservabilityArgs {
  /** GCP project holding the stack. */
  project: string;
  /** Stack name, in every display name. */
  stack: string;
  /** The host's DNS name: the uptime check asks https://<it>/. */
  domain: string;
  /** The VM's name and numeric ID. */
  instanceName: pulumi.Input<string>;
  instanceId: pulumi.Input<string>;
  /** Who the alerts notify: email addresses and notification channel names (`alertChannels`). */
  channels: readonly string[];
  /** Where the README is read (`runbookUrl`); each alert links its section there. */
  runbookUrl?: string;
  /**
   * Nodes 1… of a stack of several (`instanceName`/`instanceId` above are node 0's): each gets its
   * own policy of every per-host rule. Defaults to none.
   */
  otherNodes?: { instanceName: pulumi.Input<string>; instanceId: pulumi.Input<string> }[];
}

/** Config items naming an existing notification channel rather than an email address. */
const channelName = /^projects\/[^/]+\/notificationChannels\/[^/]+$/;

/**
 * What on-call opens: an email notification channel per configured address, an uptime check of
 * the wss URL's host (TLS validated), the stack's alert policies ({@link alertRules}, each
 * notifying every channel, its documentation the README runbook's first steps) and the on-call
 * dashboard.
 */
export class Observability extends pulumi.ComponentResource {
  /** Resource names of the notification channels every alert notifies. */
  public readonly notificationChannels: pulumi.Output<string[]>;
  /** The alert policies, by rule ID. */
  public readonly alertPolicies: Record<string, gcp.monitoring.AlertPolicy>;
  /** The per-host alert policies of nodes 1… (several nodes), by `node-<i>-<rule ID>`. */
  public readonly nodeAlertPolicies: Record<string, gcp.monitoring.AlertPolicy>;
  /** The dashboard. */
  public readonly dashboard: gcp.monitoring.Dashboard;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-studio:observability:Observability", name, {}, opts);
    const parent = { parent: this };
    const prefix = `agent-studio-voice ${args.stack}`;
    const otherNodes = args.otherNodes ?? [];

    const emails = args.channels.filter((c) => !channelName.test(c));
    const created = emails.map(
      (email, index) =>
        new gcp.monitoring.NotificationChannel(
          `${name}-email-${index}`,
          { project: args.project, type: "email", displayName: `${prefix} on-call: ${email}`, labels: { email_address: email } },
          parent,
        ),
    );
    this.notificationChannels = pulumi.all([...created.map((c) => c.name), ...args.channels.filter((c) => channelName.test(c))]);

    const uptime = new gcp.monitoring.UptimeCheckConfig(
      `${name}-wss-uptime`,
      {
        project: args.project,
        displayName: `${prefix}: https://${args.domain}/`,
        period: "60s",
        timeout: "10s",
        monitoredResource: { type: "uptime_url", labels: { project_id: args.project, host: args.domain } },
        // livekit-server answers "OK" on / behind Caddy: DNS, TLS, Caddy and livekit-server in one request.
        httpCheck: { path: "/", port: 443, useSsl: true, validateSsl: true, requestMethod: "GET" },
        contentMatchers: [{ content: "OK", matcher: "CONTAINS_STRING" }],
      },
      parent,
    );

    const host: pulumi.Output<HostIds> = pulumi
      .all([args.instanceName, args.instanceId, uptime.uptimeCheckId])
      .apply(([instanceName, instanceId, uptimeCheckId]) => ({ instanceName, instanceId, uptimeCheckId }));

    const policy = (resourceName: string, rule: AlertRule, ids: pulumi.Output<HostIds>, title: string) =>
      new gcp.monitoring.AlertPolicy(
        resourceName,
        {
          project: args.project,
          displayName: `${prefix}: ${title}`,
          combiner: "OR",
          conditions: [ids.apply((h) => rule.condition(h))],
          notificationChannels: this.notificationChannels,
          documentation: { mimeType: "text/markdown", subject: `[${args.stack}] ${title}`, content: alertDocumentation(rule, args.stack, args.runbookUrl) },
          severity: "CRITICAL",
        },
        parent,
      );
    this.alertPolicies = Object.fromEntries(alertRules().map((rule: AlertRule) => [rule.id, policy(`${name}-${rule.id}`, rule, host, rule.title)]));
    this.nodeAlertPolicies = Object.fromEntries(
      otherNodes.flatMap((node, index) => {
        const ids = pulumi
          .all([node.instanceName, node.instanceId, uptime.uptimeCheckId])
          .apply(([instanceName, instanceId, uptimeCheckId]) => ({ instanceName, instanceId, uptimeCheckId }));
        const key = `node-${index + 1}`;
        return alertRules()
          .filter((rule) => rule.perHost)
          .map((rule) => [`${key}-${rule.id}`, policy(`${name}-${key}-${rule.id}`, rule, ids, `${rule.title} (node ${index + 1})`)]);
      }),
    );

    this.dashboard = new gcp.monitoring.Dashboard(
      `${name}-dashboard`,
      { project: args.project, dashboardJson: host.apply((h) => renderDashboardJson(`${prefix}: on call`, h)) },
      parent,
    );
    this.registerOutputs({ notificationChannels: this.notificationChannels });
  }
}
