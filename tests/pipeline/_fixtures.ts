// Tiny prepared datasets shared by the pipeline and task tests.

import { join } from "node:path";
import { prepDataset } from "../../data_prep/prep_dataset.ts";
import type { RunMetrics } from "../../eval/run_metrics.ts";
import { ORL_FACES } from "../../pipeline/run_demo.ts";

let _orl: Promise<string> | null = null;

/** The first 60 ORL faces (6 people) at 12x12, prepared once per test process. */
export function tinyOrl(): Promise<string> {
  _orl ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "facet-pipeline-test-" });
    const out = join(dir, "orl12");
    await prepDataset(ORL_FACES, {
      out,
      size: { width: 12, height: 12 },
      limit: 60,
      workers: 0,
      log: null,
    });
    return out;
  })();
  return _orl;
}

/** The text of every cell of the table rows whose first cell is `first`, from report.html. */
function _rows(html: string, section: string): string[][] {
  const start = html.indexOf(`<h2>${section}</h2>`);
  if (start < 0) return [];
  const end = html.indexOf("</table>", start);
  const rows: string[][] = [];
  for (const m of html.slice(start, end).matchAll(/<tr[^>]*>(.*?)<\/tr>/g)) {
    const cells = [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]);
    if (cells.length) rows.push(cells);
  }
  return rows;
}

/**
 * Asserts that report.html shows the numbers of metrics.json (three decimals,
 * as the report prints them): clustering accuracy and NMI, probe accuracy and
 * its baselines, reconstruction errors (four decimals).
 */
export function reportMatchesMetrics(html: string, metrics: RunMetrics): string[] {
  const problems: string[] = [];
  const f = (v: number | null, d = 3) => v === null ? "–" : v.toFixed(d);
  const clustering = _rows(html, "Clustering");
  metrics.clustering.forEach((c, i) => {
    const want = [c.layer, String(c.k), String(c.replicates), f(c.accuracy), f(c.nmi)];
    if (JSON.stringify(clustering[i]) !== JSON.stringify(want)) {
      problems.push(`clustering row ${i}: ${clustering[i]} vs ${want}`);
    }
  });
  const probes = _rows(html, "Linear probes");
  metrics.probes.forEach((p, i) => {
    const row = probes[i] ?? [];
    const want = [p.layer, p.attribute, f(p.probe.accuracy), f(p.probe.balancedAccuracy)];
    if (JSON.stringify(row.slice(0, 4)) !== JSON.stringify(want)) {
      problems.push(`probe row ${i}: ${row.slice(0, 4)} vs ${want}`);
    }
    if (row[6] !== f(p.probe.majorityAccuracy) || row[7] !== f(p.rawPixel?.accuracy ?? null)) {
      problems.push(`probe row ${i} baselines: ${row.slice(6, 8)}`);
    }
  });
  const rec = _rows(html, "Reconstruction");
  metrics.reconstruction.forEach((r, i) => {
    if (rec[i]?.[1] !== f(r.relativeError, 4)) problems.push(`reconstruction row ${i}: ${rec[i]}`);
  });
  if (clustering.length !== metrics.clustering.length) problems.push("clustering row count");
  if (probes.length !== metrics.probes.length) problems.push("probe row count");
  return problems;
}
