/** Label names and values of one series. */
export type Labels = Record<string, string>;

/** A counter or gauge family: one value per label set. */
export interface ScalarFamily {
  type: "counter" | "gauge";
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

/** A histogram family: per label set, the count of observations in each bucket (not cumulative), their sum and count. */
export interface HistogramFamily {
  type: "histogram";
  name: string;
  help: string;
  /** Upper bounds, ascending; `+Inf` is implied. */
  buckets: readonly number[];
  series: { labels: Labels; bucketCounts: readonly number[]; sum: number; count: number }[];
}

export type MetricFamily = ScalarFamily | HistogramFamily;

/** The Content-Type of {@link renderPrometheusText}'s output (Prometheus text exposition format 0.0.4). */
export const PROMETHEUS_TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const escapeHelp = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeLabelValue = (text: string) => text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

function sampleLines(family: MetricFamily): string[] {
  if (family.type !== "histogram") {
    return family.samples.map((sample) => `${family.name}${formatLabels(sample.labels)} ${formatNumber(sample.value)}`);
  }
  return family.series.flatMap((series) => {
    let cumulative = 0;
    const bucketLines = [...family.buckets, Infinity].map((bound, index) => {
      cumulative += series.bucketCounts[index] ?? 0;
      return `${family.name}_bucket${formatLabels({ ...series.labels, le: formatNumber(bound) })} ${cumulative}`;
    });
    return [
      ...bucketLines,
      `${family.name}_sum${formatLabels(series.labels)} ${formatNumber(series.sum)}`,
      `${family.name}_count${formatLabels(series.labels)} ${series.count}`,
    ];
  });
}

/**
 * Renders metric families in the Prometheus text exposition format: `# HELP` and `# TYPE` lines,
 * then the samples; histogram buckets cumulative with `le`, ending in `+Inf`, then `_sum` and
 * `_count`. Label values and help texts are escaped, so no value can add a line.
 */
export function renderPrometheusText(families: readonly MetricFamily[]): string {
  return families
    .map((family) => [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`, ...sampleLines(family)].join("\n"))
    .join("\n")
    .concat("\n");
}
