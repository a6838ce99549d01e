/** One sample of a Prometheus text exposition. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

/**
 * Parses the Prometheus text format (0.0.4) as a scraper does: comments skipped, every other line
 * a sample. Throws on a line that is neither, so a malformed exposition fails the test.
 */
export function parsePrometheusText(text: string): PromSample[] {
  return text.split("\n").flatMap((line, index) => {
    if (line.trim() === "" || line.startsWith("#")) return [];
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`line ${index + 1} is not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? "";
    labelPair.lastIndex = 0;
    while (labelPair.lastIndex < body.length) {
      const pair = labelPair.exec(body);
      if (!pair) throw new Error(`line ${index + 1} has malformed labels: ${line}`);
      labels[pair[1]!] = pair[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    }
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
}

/** GETs a metrics endpoint and parses it; throws naming the URL when it does not answer 200. */
export async function scrape(url: string): Promise<PromSample[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`scraping ${url} answered ${response.status}`);
  return parsePrometheusText(await response.text());
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when none. */
export function sampleValue(samples: readonly PromSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
