/**
 * Loss curves as an SVG string: loss against iteration, log-scale y.
 *
 * @module
 */

import { escapeXml } from "./escape_xml.ts";

/** One curve of {@linkcode lossCurveSvg}. */
export interface CurveSeries {
  /** Legend text. */
  name: string;
  /** Loss per point; non-positive or non-finite values leave a gap on a log axis. */
  values: ArrayLike<number>;
  /** x of each point. Default 1, 2, … (iterations). */
  x?: ArrayLike<number>;
}

/** Options of {@linkcode lossCurveSvg}. */
export interface LossCurveOptions {
  /** Title above the plot. Default "Loss". */
  title?: string;
  /** Size in pixels. Default 640 x 360. */
  width?: number;
  /** Size in pixels. Default 640 x 360. */
  height?: number;
  /** X axis label. Default "iteration". */
  xLabel?: string;
  /** Y axis label. Default "loss". */
  yLabel?: string;
  /** Logarithmic y axis (linear when no value is positive). Default true. */
  logY?: boolean;
}

/** Eight colours that stay distinct for colour-blind readers (Okabe & Ito). */
export const SERIES_COLORS = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#F0E442",
];

const M = { left: 64, right: 16, top: 32, bottom: 44 };

/**
 * A standalone SVG document (also valid inline in HTML) plotting each series
 * as a polyline over shared axes fitted to the data, y logarithmic by default
 * with ticks at powers of ten (and 2 and 5 times them, or every multiple, over
 * short ranges), and a legend naming the series.
 *
 * @example
 * ```ts
 * const svg = lossCurveSvg([{ name: "NMF", values: [10, 3, 1, 0.5] }], { title: "ORL" });
 * console.log(svg.startsWith("<svg"), svg.includes("NMF")); // true true
 * ```
 */
export function lossCurveSvg(series: CurveSeries[], options: LossCurveOptions = {}): string {
  const {
    title = "Loss",
    width = 640,
    height = 360,
    xLabel = "iteration",
    yLabel = "loss",
    logY: logAsked = true,
  } = options;
  if (series.length === 0) throw new RangeError("lossCurveSvg: give at least one series");
  const pts = series.map((s) => {
    const n = s.values.length;
    if (s.x && s.x.length !== n) {
      throw new RangeError(`lossCurveSvg: series "${s.name}" has ${s.x.length} x for ${n} values`);
    }
    return Array.from({ length: n }, (_, i) => [s.x ? s.x[i] : i + 1, s.values[i]]);
  });
  // A log axis needs a positive value; a curve of zeros (a fit of all-zero data) is drawn linear.
  const logY = logAsked && pts.some((l) => l.some(([, y]) => Number.isFinite(y) && y > 0));
  const usable = (y: number) => Number.isFinite(y) && (!logY || y > 0);
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (const list of pts) {
    for (const [x, y] of list) {
      if (!usable(y) || !Number.isFinite(x)) continue;
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      yMin = Math.min(yMin, y);
      yMax = Math.max(yMax, y);
    }
  }
  if (!Number.isFinite(yMin)) {
    throw new RangeError(`lossCurveSvg: no plottable values${logY ? " (log axis needs > 0)" : ""}`);
  }
  if (xMax === xMin) xMax = xMin + 1;
  const ty = (y: number) => logY ? Math.log10(y) : y;
  // Data range padded by 4%; a flat curve still gets a visible range.
  let lo = ty(yMin);
  let hi = ty(yMax);
  const minSpan = logY ? 0.2 : Math.max(1e-12, Math.abs(hi) * 0.1);
  if (hi - lo < minSpan) {
    const mid = (hi + lo) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
  }
  const pad = 0.04 * (hi - lo);
  lo -= pad;
  hi += pad;
  const pw = width - M.left - M.right;
  const ph = height - M.top - M.bottom;
  const px = (x: number) => M.left + ((x - xMin) / (xMax - xMin)) * pw;
  const py = (y: number) => M.top + (1 - (ty(y) - lo) / (hi - lo)) * ph;
  const f = (v: number) => v.toFixed(1);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" role="img" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
  );
  // Y ticks and grid.
  const yTicks: number[] = [];
  if (logY) {
    // Powers of ten; 2 and 5 times them over short ranges; every integer multiple if needed.
    for (const mult of [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
      if (mult.length === 1 && hi - lo < 2) continue;
      yTicks.length = 0;
      for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
        for (const m of mult) {
          const t = Math.log10(m * 10 ** e);
          if (t >= lo && t <= hi) yTicks.push(m * 10 ** e);
        }
      }
      if (yTicks.length >= 3) break;
    }
  } else {
    const step = _niceStep((hi - lo) / 5);
    for (let i = Math.ceil(lo / step); i * step <= hi; i++) {
      yTicks.push(Number((i * step).toPrecision(12)));
    }
  }
  for (const v of yTicks) {
    const y = f(py(v));
    out.push(
      `<line x1="${M.left}" y1="${y}" x2="${M.left + pw}" y2="${y}" stroke="#e0e0e0"/>`,
      `<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">` +
        `${_tickLabel(v)}</text>`,
    );
  }
  // X ticks: about six round values.
  const step = _niceStep((xMax - xMin) / 6);
  for (let i = Math.ceil(xMin / step); i * step <= xMax + 1e-9 * step; i++) {
    const v = Number((i * step).toPrecision(12));
    const x = f(px(v));
    out.push(
      `<line x1="${x}" y1="${M.top + ph}" x2="${x}" y2="${M.top + ph + 4}" stroke="#444"/>`,
      `<text x="${x}" y="${M.top + ph + 16}" text-anchor="middle">${_tickLabel(v)}</text>`,
    );
  }
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`,
    `<text x="${M.left + pw / 2}" y="${height - 8}" text-anchor="middle">${
      escapeXml(xLabel)
    }</text>`,
    `<text x="14" y="${M.top + ph / 2}" text-anchor="middle" ` +
      `transform="rotate(-90 14 ${M.top + ph / 2})">${escapeXml(yLabel)}${
        logY ? " (log)" : ""
      }</text>`,
  );
  pts.forEach((list, s) => {
    const color = SERIES_COLORS[s % SERIES_COLORS.length];
    // Split at unusable values so gaps show as gaps.
    let run: string[] = [];
    const flush = () => {
      if (run.length === 1) {
        const [x, y] = run[0].split(",");
        out.push(`<circle cx="${x}" cy="${y}" r="2" fill="${color}"/>`);
      } else if (run.length > 1) {
        out.push(
          `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${run.join(" ")}"/>`,
        );
      }
      run = [];
    };
    for (const [x, y] of list) {
      if (usable(y) && Number.isFinite(x)) run.push(`${f(px(x))},${f(py(y))}`);
      else flush();
    }
    flush();
  });
  // Legend, top right inside the plot.
  const lw = Math.max(...series.map((s) => s.name.length)) * 6.5 + 34;
  const lx = M.left + pw - lw - 6;
  out.push(
    `<rect x="${f(lx)}" y="${M.top + 6}" width="${f(lw)}" height="${series.length * 16 + 6}" ` +
      `fill="#ffffff" fill-opacity="0.85" stroke="#bbbbbb"/>`,
  );
  series.forEach((s, i) => {
    const y = M.top + 17 + i * 16;
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    out.push(
      `<line x1="${f(lx + 6)}" y1="${y}" x2="${f(lx + 24)}" y2="${y}" stroke="${color}" ` +
        `stroke-width="2"/>`,
      `<text x="${f(lx + 28)}" y="${y}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}

function _tickLabel(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace("e+", "e");
  return String(Number(v.toPrecision(3)));
}

function _niceStep(raw: number): number {
  const e = 10 ** Math.floor(Math.log10(raw));
  const m = raw / e;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * e;
}
