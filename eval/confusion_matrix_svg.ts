/**
 * A confusion matrix as an SVG string.
 *
 * @module
 */

import { escapeXml } from "./escape_xml.ts";

/** Options of {@linkcode confusionMatrixSvg}. */
export interface ConfusionMatrixOptions {
  /** Title above the matrix. Default "Confusion matrix". */
  title?: string;
  /** Cell size in pixels. Default 36 for up to 10 classes, smaller for more (at least 8). */
  cellSize?: number;
}

/**
 * Draws a k x k confusion matrix (row-major counts, rows the true class,
 * columns the prediction, as logisticProbe returns it). Cell
 * shade is the row-normalized rate (recall on the diagonal), so unbalanced
 * classes read fairly; counts are printed when k <= 20.
 *
 * @example
 * ```ts
 * const svg = confusionMatrixSvg([50, 3, 7, 40], ["no", "yes"], { title: "Smiling" });
 * console.log(svg.startsWith("<svg"), svg.includes("Smiling")); // true true
 * ```
 */
export function confusionMatrixSvg(
  confusion: ArrayLike<number>,
  labels: readonly (string | number)[],
  options: ConfusionMatrixOptions = {},
): string {
  const k = labels.length;
  if (k < 1 || confusion.length !== k * k) {
    throw new RangeError(
      `confusionMatrixSvg: ${confusion.length} counts for ${k} labels; expected ${k * k}`,
    );
  }
  const { title = "Confusion matrix" } = options;
  const cell = options.cellSize ?? Math.max(8, Math.min(36, Math.floor(400 / k)));
  const showText = k <= 20;
  const names = labels.map((l) => escapeXml(String(l)));
  const labelSpace = showText
    ? Math.min(120, 12 + 7 * Math.max(...names.map((n) => n.length)))
    : 24;
  const left = labelSpace + 24;
  const top = 56;
  const width = left + k * cell + 16;
  const height = top + k * cell + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
    `<text x="${left + (k * cell) / 2}" y="${top - 22}" text-anchor="middle">predicted</text>`,
    `<text x="12" y="${top + (k * cell) / 2}" text-anchor="middle" ` +
    `transform="rotate(-90 12 ${top + (k * cell) / 2})">true</text>`,
  ];
  for (let t = 0; t < k; t++) {
    let row = 0;
    for (let p = 0; p < k; p++) row += confusion[t * k + p];
    for (let p = 0; p < k; p++) {
      const count = confusion[t * k + p];
      const rate = row > 0 ? count / row : 0;
      // White to dark blue.
      const r = Math.round(255 - rate * (255 - 8));
      const g = Math.round(255 - rate * (255 - 69));
      const b = Math.round(255 - rate * (255 - 148));
      const x = left + p * cell;
      const y = top + t * cell;
      out.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${r},${g},${b})" ` +
          `stroke="#dddddd"><title>true ${names[t]}, predicted ${names[p]}: ${count}` +
          `</title></rect>`,
      );
      if (showText) {
        out.push(
          `<text x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" ` +
            `dominant-baseline="middle" fill="${
              rate > 0.5 ? "#ffffff" : "#000000"
            }">${count}</text>`,
        );
      }
    }
    if (showText) {
      out.push(
        `<text x="${left - 4}" y="${top + t * cell + cell / 2}" text-anchor="end" ` +
          `dominant-baseline="middle">${names[t]}</text>`,
      );
    }
  }
  if (showText) {
    for (let p = 0; p < k; p++) {
      out.push(
        `<text x="${left + p * cell + cell / 2}" y="${top - 6}" text-anchor="middle">${
          names[p]
        }</text>`,
      );
    }
  }
  out.push("</svg>");
  return out.join("\n");
}
