import { spawnSync } from "node:child_process";
import { goToolPath, goTools, requireBinaries } from "./binaries";

/** One sample of a scrape. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses a scrape body with Prometheus's own scrape parser (the harness's prometheus-text-parser:
 * model/textparse at the version the Ops Agent's Prometheus receiver is built with), choosing the
 * parser by the response's Content-Type as the scraper does. Throws with the parser's error when it
 * refuses the body, so an exposition the Ops Agent could not read fails the test.
 */
export function parseScrape(body: string, contentType: string): PromSample[] {
  const binary = goToolPath(goTools.prometheusTextParser);
  requireBinaries([binary]);
  const result = spawnSync(binary, [contentType], { input: body, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${binary} exited with status ${result.status}: ${result.error?.message ?? result.stderr}`);
  }
  const parsed = JSON.parse(result.stdout) as { samples?: { name: string; labels: Record<string, string>; value: string }[]; error?: string };
  if (parsed.error !== undefined) throw new Error(`Prometheus's parser refuses the scrape: ${parsed.error}`);
  return (parsed.samples ?? []).map((s) => ({ name: s.name, labels: s.labels, value: Number(s.value) }));
}

/** GETs a metrics endpoint as the scraper does and parses it; throws naming the URL when it does not answer 200. */
export async function scrape(url: string): Promise<PromSample[]> {
  const response = await fetch(url, { headers: { Accept: "text/plain;version=0.0.4;q=1,*/*;q=0.1" } });
  if (!response.ok) throw new Error(`scraping ${url} answered ${response.status}`);
  return parseScrape(await response.text(), response.headers.get("content-type") ?? "");
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when none. */
export function sampleValue(samples: readonly PromSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
