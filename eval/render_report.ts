/**
 * One self-contained HTML report per run: configuration, adapter and timings,
 * metrics tables with their baselines, pictures and curves.
 *
 * @module
 */

import { escapeXml } from "./escape_xml.ts";
import type { ProbeScores, RunMetrics } from "./run_metrics.ts";

/** A PNG picture of the report. */
export interface ReportImage {
  /** Heading. */
  title: string;
  /** Text below the picture. */
  caption?: string;
  /** PNG bytes (e.g. from encodePng); inlined as a data: URI. */
  png: Uint8Array;
}

/** An SVG figure of the report (loss curves, confusion matrices). */
export interface ReportFigure {
  /** Heading. */
  title: string;
  /** Text below the figure. */
  caption?: string;
  /** A complete `<svg>…</svg>` element; inlined as is. */
  svg: string;
}

/** A table of other metrics (e.g. co-segmentation scores), numbers as given. */
export interface ReportTable {
  /** Heading. */
  title: string;
  /** A note above the table. */
  note?: string;
  /** Column names; the first column is left-aligned. */
  header: string[];
  /** Rows of cells: numbers shown with 3 decimals, strings as they are. */
  rows: (string | number | null)[][];
}

/** Everything {@linkcode renderReport} shows. */
export interface ReportInput {
  /** Page title, e.g. "ORL, Deep Semi-NMF 1024-625-40". */
  title: string;
  /** When the run happened (shown as given; the renderer reads no clock). */
  createdAt?: string;
  /** Run configuration: model, sizes, seeds, iterations… (values shown as JSON). */
  config: Record<string, unknown>;
  /** The adapter that ran the kernels, or null for CPU only. */
  adapter?: { name: string; vendor?: string; isSoftware?: boolean } | null;
  /** Wall time per phase. */
  timings?: { phase: string; seconds: number }[];
  /** The metrics tables. */
  metrics: RunMetrics;
  /** Other tables, after the metrics. */
  tables?: ReportTable[];
  /** Pictures (basis images, reconstructions, mean images). */
  images?: ReportImage[];
  /** SVG figures (loss curves, confusion matrices). */
  figures?: ReportFigure[];
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
  margin: 0 auto; max-width: 1100px; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 2px; } h2 { font-size: 17px; margin: 28px 0 8px;
  border-bottom: 1px solid #ddd; padding-bottom: 4px; } h3 { font-size: 14px; margin: 0 0 6px; }
.sub { color: #666; margin: 0 0 12px; }
table { border-collapse: collapse; margin: 4px 0 8px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; vertical-align: top; }
th { background: #f4f4f4; } td.l, th.l { text-align: left; }
td.base { color: #666; background: #fafafa; } tr.weak td.main { color: #b00020; }
td code { white-space: pre-wrap; word-break: break-word; font-size: 12px; }
.figs { display: flex; flex-wrap: wrap; gap: 18px; }
figure { margin: 0; } figcaption { color: #555; font-size: 12px; max-width: 520px; }
img { image-rendering: pixelated; max-width: 100%; height: auto; border: 1px solid #ccc; }
.note { color: #555; font-size: 12px; }
`;

/**
 * Renders the run as one HTML string with no external resources: PNGs
 * inlined as base64 data: URIs, SVG inline, CSS in a style element, no
 * scripts or fonts, so the file opens from the file system. Probe accuracy is
 * shown beside the majority-class baseline and the raw-pixel probe; a probe
 * within 0.01 of its majority baseline is marked in red. Pure (runs in a
 * browser); write it with writeRunFiles.
 *
 * @example
 * ```ts
 * const html = renderReport({
 *   title: "ORL NMF k=40",
 *   config: { model: "nmf", k: 40 },
 *   metrics: { probes: [], clustering: [], reconstruction: [], sparsity: [] },
 * });
 * console.log(html.startsWith("<!DOCTYPE html>"), html.includes("ORL NMF k=40")); // true true
 * ```
 */
export function renderReport(input: ReportInput): string {
  const { metrics } = input;
  const e = escapeXml;
  const out: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<h1>${e(input.title)}</h1>`,
  ];
  if (input.createdAt) out.push(`<p class="sub">${e(input.createdAt)}</p>`);

  out.push("<h2>Configuration</h2>", "<table>");
  for (const [key, value] of Object.entries(input.config)) {
    const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
    out.push(`<tr><th class="l">${e(key)}</th><td class="l"><code>${e(text)}</code></td></tr>`);
  }
  out.push("</table>");

  out.push("<h2>Adapter and timings</h2>");
  const a = input.adapter;
  out.push(
    `<p>${
      a
        ? `${e(a.name)}${a.vendor ? ` (${e(a.vendor)})` : ""}${
          a.isSoftware ? " — software fallback, timings are CPU timings" : ""
        }`
        : "CPU only (no GPU adapter)"
    }</p>`,
  );
  const timings = input.timings ?? [];
  if (timings.length > 0) {
    out.push('<table><tr><th class="l">phase</th><th>seconds</th></tr>');
    let total = 0;
    for (const t of timings) {
      total += t.seconds;
      out.push(`<tr><td class="l">${e(t.phase)}</td><td>${t.seconds.toFixed(2)}</td></tr>`);
    }
    out.push(`<tr><th class="l">total</th><th>${total.toFixed(2)}</th></tr></table>`);
  }

  if (metrics.probes.length > 0) {
    out.push(
      "<h2>Linear probes</h2>",
      '<p class="note">L2-regularized logistic regression on standardized features, scored ' +
        "on the held-out split. Grey columns are baselines on the same split: always predicting " +
        "the majority class, and the same probe on raw pixels. Red: within 0.01 of the majority " +
        "baseline.</p>",
      "<table><tr>" +
        '<th class="l">layer</th><th class="l">attribute</th><th>accuracy</th>' +
        "<th>balanced acc.</th><th>AUC</th><th>C</th><th>majority</th>" +
        "<th>raw-pixel acc.</th><th>raw-pixel bal.</th><th>raw-pixel AUC</th><th>raw-pixel C</th>" +
        "</tr>",
    );
    for (const p of metrics.probes) {
      const weak = p.probe.accuracy <= p.probe.majorityAccuracy + 0.01;
      const raw: ProbeScores | null = p.rawPixel;
      out.push(
        `<tr${weak ? ' class="weak"' : ""}><td class="l">${e(p.layer)}</td>` +
          `<td class="l">${e(p.attribute)}</td>` +
          `<td class="main">${_num(p.probe.accuracy)}</td>` +
          `<td>${_num(p.probe.balancedAccuracy)}</td><td>${_num(p.probe.auc)}</td>` +
          `<td>${p.probe.c === undefined ? "–" : _num(p.probe.c, 4)}</td>` +
          `<td class="base">${_num(p.probe.majorityAccuracy)}</td>` +
          `<td class="base">${_num(raw?.accuracy)}</td>` +
          `<td class="base">${_num(raw?.balancedAccuracy)}</td>` +
          `<td class="base">${_num(raw?.auc)}</td>` +
          `<td class="base">${raw?.c === undefined ? "–" : _num(raw.c, 4)}</td></tr>`,
      );
    }
    out.push("</table>");
  }
  if (metrics.clustering.length > 0) {
    out.push(
      "<h2>Clustering</h2>",
      `<p class="note">${
        e(
          metrics.clustering[0].method ??
            "k-means (greedy k-means++ seeding, best inertia over the replicates) on each layer's codes",
        )
      }; accuracy under the Hungarian best map of clusters to classes, and NMI.</p>`,
      '<table><tr><th class="l">layer</th><th>k</th><th>replicates</th><th>accuracy</th>' +
        "<th>NMI</th></tr>",
    );
    for (const c of metrics.clustering) {
      out.push(
        `<tr><td class="l">${e(c.layer)}</td><td>${c.k}</td><td>${c.replicates}</td>` +
          `<td>${_num(c.accuracy)}</td><td>${_num(c.nmi)}</td></tr>`,
      );
    }
    out.push("</table>");
  }
  if (metrics.reconstruction.length > 0) {
    out.push(
      "<h2>Reconstruction</h2>",
      '<table><tr><th class="l">layer</th><th>‖X − X̂‖<sub>F</sub> / ‖X‖<sub>F</sub></th>' +
        "<th>median per-sample</th></tr>",
    );
    for (const r of metrics.reconstruction) {
      out.push(
        `<tr><td class="l">${e(r.layer)}</td><td>${_num(r.relativeError, 4)}</td>` +
          `<td>${_num(r.medianSampleError, 4)}</td></tr>`,
      );
    }
    out.push("</table>");
  }
  if (metrics.sparsity.length > 0) {
    out.push(
      "<h2>Sparsity</h2>",
      '<table><tr><th class="l">factor</th><th>mean Hoyer sparsity of columns</th></tr>',
    );
    for (const s of metrics.sparsity) {
      out.push(`<tr><td class="l">${e(s.factor)}</td><td>${_num(s.hoyer)}</td></tr>`);
    }
    out.push("</table>");
  }
  for (const t of input.tables ?? []) {
    out.push(`<h2>${e(t.title)}</h2>`);
    if (t.note) out.push(`<p class="note">${e(t.note)}</p>`);
    out.push(
      "<table><tr>" + t.header.map((h, i) => `<th${i ? "" : ' class="l"'}>${e(h)}</th>`).join("") +
        "</tr>",
    );
    for (const row of t.rows) {
      const cells = row.map((c, i) =>
        `<td${i ? "" : ' class="l"'}>${typeof c === "number" ? _num(c) : e(c ?? "–")}</td>`
      );
      out.push(`<tr>${cells.join("")}</tr>`);
    }
    out.push("</table>");
  }
  const images = input.images ?? [];
  if (images.length > 0) {
    out.push("<h2>Pictures</h2>", '<div class="figs">');
    for (const img of images) {
      const [w, h] = _pngSize(img.png, img.title);
      const zoom = Math.max(1, Math.min(4, Math.floor(480 / w)));
      out.push(
        `<figure><h3>${e(img.title)}</h3>` +
          `<img src="data:image/png;base64,${_base64(img.png)}" width="${w * zoom}" ` +
          `height="${h * zoom}" alt="${e(img.title)}">` +
          (img.caption ? `<figcaption>${e(img.caption)}</figcaption>` : "") +
          "</figure>",
      );
    }
    out.push("</div>");
  }
  const figures = input.figures ?? [];
  if (figures.length > 0) {
    out.push("<h2>Curves and matrices</h2>", '<div class="figs">');
    for (const f of figures) {
      const svg = f.svg.replace(/^\s*<\?xml[^>]*>\s*/, "");
      if (!/^<svg[\s>]/.test(svg) || !/<\/svg>\s*$/.test(svg)) {
        throw new RangeError(`renderReport: figure "${f.title}" is not a single <svg> element`);
      }
      out.push(
        `<figure><h3>${e(f.title)}</h3>${svg}` +
          (f.caption ? `<figcaption>${e(f.caption)}</figcaption>` : "") + "</figure>",
      );
    }
    out.push("</div>");
  }
  out.push("</body>", "</html>", "");
  return out.join("\n");
}

function _num(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 10 ** -digits)
    ? v.toExponential(2)
    : v.toFixed(digits);
}

/** Width and height from the IHDR chunk; throws when the bytes are not a PNG. */
function _pngSize(png: Uint8Array, title: string): [number, number] {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (png.length < 24 || sig.some((b, i) => png[i] !== b)) {
    throw new RangeError(`renderReport: image "${title}" is not PNG data`);
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return [view.getUint32(16), view.getUint32(20)];
}

function _base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}
