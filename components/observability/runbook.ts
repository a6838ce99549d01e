import type { AlertRule } from "./alert-rules";

/** The README section holding every alert's runbook; each alert's section is its own heading below it. */
export const runbookSection = { heading: "On call", anchor: "on-call" } as const;

/**
 * An alert's documentation (Markdown, shown in the incident and the notification): what fired,
 * the first three steps, and the link to its README runbook section (or, without `runbookUrl`,
 * where to find it in the README).
 */
export function alertDocumentation(rule: AlertRule, stack: string, runbookUrl?: string): string {
  const where = runbookUrl
    ? `Runbook: [README, On call › ${rule.title}](${runbookUrl}#${rule.id})`
    : `Runbook: README.md of agent-studio-voice, section "On call" › "${rule.title}" (#${rule.id}); set \`agent-studio-voice:runbookUrl\` to link it here.`;
  return [
    `**${rule.title}** on stack \`${stack}\`: ${rule.fires}.`,
    "",
    "First steps:",
    ...rule.firstSteps.map((step, index) => `${index + 1}. ${step}`),
    "",
    where,
  ].join("\n");
}
