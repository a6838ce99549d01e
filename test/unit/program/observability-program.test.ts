/**
 * The alerts, uptime check and dashboard the program declares, under the mock runtime in update
 * and preview modes: every alert exists with its threshold, its channels and its runbook, and a
 * stack that names no channel is refused before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { alertRules, callFailureRatioThreshold, certificateDaysThreshold, diskPercentThreshold } from "../../../components/observability";
import { freshStackPreview } from "../../../scripts/plan/mock-monitor";
import type { OfflineRun } from "../../../scripts/plan/run-offline";
import { repoRoot, runProgram, stackConfig } from "../../utils/offline-program";

const policyType = "gcp:monitoring/alertPolicy:AlertPolicy";
const channelType = "gcp:monitoring/notificationChannel:NotificationChannel";
const channelsKey = "agent-studio-voice:alertChannels";

const policies = (run: OfflineRun) => run.monitor.ofType(policyType);
const policy = (run: OfflineRun, id: string) => run.monitor.byName(`voice-obs-${id}`);
const condition = (run: OfflineRun, id: string) => policy(run, id).inputs.conditions[0];

/** GitHub's anchor for a Markdown heading. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");

describe("the on-call alerts (Pulumi.prod.yaml)", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runProgram(stackConfig("prod"));
  }, 180_000);

  it("declares one policy per alert, each notifying the email channel made for the stack's alertChannels", () => {
    expect(policies(run).map((p) => p.name).sort()).toEqual(alertRules().map((r) => `voice-obs-${r.id}`).sort());
    const [email] = run.monitor.ofType(channelType);
    expect(email!.inputs).toMatchObject({ type: "email", labels: { email_address: "voice-oncall@agentstudio.example.com" } });
    for (const p of policies(run)) {
      expect(p.inputs.notificationChannels).toEqual([expect.stringMatching(/^projects\/agent-studio-voice-prod\/notificationChannels\//)]);
      expect(p.inputs.combiner).toBe("OR");
    }
  });

  it("gives each alert its threshold on this host's series", () => {
    const sel = 'cluster="__gce__",namespace=~".+/voice-host-vm-a1b2c3"';
    expect(condition(run, "no-worker-registered").conditionPrometheusQueryLanguage).toMatchObject({
      query: `absent(agent_studio_worker_registered{${sel}}) or max(agent_studio_worker_registered{${sel}}) < 1`,
      duration: "300s",
    });
    expect(condition(run, "livekit-sip-unavailable").conditionPrometheusQueryLanguage.query).toContain(`min(livekit_sip_available{${sel}}) < 1`);
    const ratio = condition(run, "call-failure-ratio").conditionPrometheusQueryLanguage.query as string;
    expect(ratio).toContain(`sum(increase(agent_studio_calls_failed_total{${sel},outcome=~"refused|error"}[10m]))`);
    expect(ratio).toContain(`> ${callFailureRatioThreshold} and`);
    expect(condition(run, "certificate-expiring").conditionThreshold).toMatchObject({ comparison: "COMPARISON_LT", thresholdValue: certificateDaysThreshold });
    expect(condition(run, "certificate-expiring").conditionThreshold.filter).toContain('metric.label.check_id="voice-obs-wss-uptime-check"');
    expect(condition(run, "boot-disk-full").conditionThreshold).toMatchObject({ comparison: "COMPARISON_GT", thresholdValue: diskPercentThreshold });
    expect(condition(run, "boot-disk-full").conditionThreshold.filter).toContain('resource.label.instance_id="voice-host-vm-1234567890"');
    expect(condition(run, "wss-url-unreachable").conditionThreshold.filter).toContain("uptime_check/check_passed");
    const uptime = run.monitor.byName("voice-obs-wss-uptime");
    expect(uptime.inputs).toMatchObject({
      monitoredResource: { type: "uptime_url", labels: { host: "voice.agentstudio.example.com" } },
      httpCheck: { port: 443, useSsl: true, validateSsl: true, path: "/" },
    });
  });

  it("documents each alert with its first three steps and its README runbook section, which exists", () => {
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const anchors = new Set([...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) => slug(m[1]!)));
    expect(anchors).toContain("on-call");
    for (const rule of alertRules()) {
      const doc = policy(run, rule.id).inputs.documentation;
      expect(doc.mimeType).toBe("text/markdown");
      expect(doc.content).toContain(`3. ${rule.firstSteps[2]}`);
      expect(doc.content).toContain(`section "On call" › "${rule.title}" (#${rule.id})`);
      expect([rule.id, slug(rule.title)]).toEqual([rule.id, rule.id]);
      expect([rule.id, anchors.has(rule.id)]).toEqual([rule.id, true]);
      // The README's section lists the same first steps.
      for (const step of rule.firstSteps) expect([rule.id, readme.includes(step)]).toEqual([rule.id, true]);
    }
  });

  it("links the runbook when the stack says where the README is read, and notifies channels it names", async () => {
    const other = await runProgram(
      stackConfig("prod", {
        "agent-studio-voice:runbookUrl": "https://github.com/acme/voice/blob/main/README.md",
        [channelsKey]: JSON.stringify(["projects/acme-voice/notificationChannels/123", "b@acme.example"]),
      }),
    );
    expect(policy(other, "call-failure-ratio").inputs.documentation.content).toContain(
      "[README, On call › Call failure ratio](https://github.com/acme/voice/blob/main/README.md#call-failure-ratio)",
    );
    expect(policy(other, "call-failure-ratio").inputs.notificationChannels).toEqual([
      expect.stringMatching(/^projects\/agent-studio-voice-prod\/notificationChannels\//),
      "projects/acme-voice/notificationChannels/123",
    ]);
  }, 180_000);

  it("refuses a stack without alert channels, naming the key and the command that fixes it", async () => {
    const prod = stackConfig("prod");
    const raw = { ...prod, values: Object.fromEntries(Object.entries(prod.values).filter(([k]) => k !== channelsKey)) };
    await expect(runProgram(raw)).rejects.toThrow(
      /agent-studio-voice:alertChannels = \(not set\): expected a non-empty list of who the alerts notify.*pulumi config set --path 'agent-studio-voice:alertChannels\[0\]' --type string '?<on-call email address>'? --stack prod/s,
    );
    await expect(runProgram(stackConfig("prod", { [channelsKey]: "[]" }))).rejects.toThrow(/alertChannels = "\[\]": .*it is empty/s);
    await expect(runProgram(stackConfig("prod", { [channelsKey]: '["not an address"]' }))).rejects.toThrow(/alertChannels.*item 0 \("not an address"\) is not one/s);
  }, 180_000);

  it("writes the dashboard with every chart on this host's series", () => {
    const json = JSON.parse(run.monitor.byName("voice-obs-dashboard").inputs.dashboardJson as string);
    const titles = json.mosaicLayout.tiles.map((t: any) => t.widget.title);
    expect(titles).toEqual(
      expect.arrayContaining(["Calls in progress per node", "Call setup latency (answered calls), seconds", "CPU per service (cores)", "TLS certificate: days left"]),
    );
    expect(JSON.stringify(json)).not.toContain("undefined");
  });
});

describe("the on-call alerts under pulumi preview", () => {
  it("declares the same alerts, uptime check and dashboard for a fresh stack, their host-bound parts unknown", async () => {
    const preview = await runProgram(stackConfig("prod"), "prod", { preview: freshStackPreview });
    expect(policies(preview).map((p) => p.name).sort()).toEqual(alertRules().map((r) => `voice-obs-${r.id}`).sort());
    for (const p of policies(preview)) {
      expect(pulumi.isUnknown(p.inputs.conditions) || pulumi.isUnknown(p.inputs.conditions[0])).toBe(true);
      expect(p.inputs.documentation.content).toContain("First steps:");
    }
    expect(pulumi.isUnknown(preview.monitor.byName("voice-obs-dashboard").inputs.dashboardJson)).toBe(true);
  }, 180_000);
});
