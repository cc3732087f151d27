/**
 * The page's pictures and its report.html: basis images, reconstructions, the loss curve and
 * the metrics of a {@linkcode runPageFit} result, rendered by the same renderReport as
 * `deno task train`. Pure: PNG encoding is passed in (a canvas in the browser, encodePng in Deno).
 *
 * @module
 */

import { clusteringAccuracy } from "../eval/clustering_accuracy.ts";
import { transposeMatrix } from "../eval/dense_matrix.ts";
import type { GrayImage } from "../eval/encode_png.ts";
import { columnHoyerSparsity } from "../eval/hoyer_sparsity.ts";
import { imageGrid } from "../eval/image_grid.ts";
import { kmeans } from "../eval/kmeans.ts";
import { lossCurveSvg } from "../eval/loss_curve_svg.ts";
import { nmi } from "../eval/nmi.ts";
import { reconstructionErrors } from "../eval/reconstruction_errors.ts";
import { reconstructionGrid } from "../eval/reconstruction_grid.ts";
import { renderReport } from "../eval/render_report.ts";
import { scaleFreeCodes } from "../eval/scale_free_codes.ts";
import { normalizeColumns } from "../factorize/normalize_columns.ts";
import type { HostMatrix } from "../factorize/factorization_result.ts";
import { PAGE_MODELS, type PageFitOptions, type PageFitProgress } from "./page_fit.ts";

/** The data of a page fit: X as d x n (samples as columns) and how a column is an image. */
export interface PageData {
  /** d x n, one image per column. */
  x: HostMatrix;
  /** Image width. */
  width: number;
  /** Image height. */
  height: number;
  /** How a column lists pixels: "row-major" or "column-major" (Cai's .mat files). */
  pixelOrder: "row-major" | "column-major";
  /** Class of each sample (e.g. ORL's 40 people), or null. */
  labels?: Int32Array | null;
  /** Name shown in the report. */
  name: string;
}

/** C = A B of row-major host matrices, accumulated in float64. */
function times(a: HostMatrix, b: HostMatrix): HostMatrix {
  const out = new Float32Array(a.rows * b.cols);
  const row = new Float64Array(b.cols);
  for (let i = 0; i < a.rows; i++) {
    row.fill(0);
    for (let p = 0; p < a.cols; p++) {
      const v = a.data[i * a.cols + p];
      if (v === 0) continue;
      const off = p * b.cols;
      for (let j = 0; j < b.cols; j++) row[j] += v * b.data[off + j];
    }
    out.set(row, i * b.cols);
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

const relu = (m: HostMatrix): HostMatrix => ({ ...m, data: m.data.map((v) => Math.max(v, 0)) });

/** Layers of a deep model's factors (Z1.., H1..), 0 for W and H. */
const depth = (factors: Record<string, HostMatrix>) =>
  Object.keys(factors).filter((k) => k.startsWith("Z")).length;

/** The basis in pixel space: W, or Z₁⋯Z_m (d x k). */
function basisOf(factors: Record<string, HostMatrix>): HostMatrix {
  if (factors.W) return factors.W;
  let basis = factors.Z1;
  for (let i = 2; i <= depth(factors); i++) basis = times(basis, factors[`Z${i}`]);
  return basis;
}

/** X̂ (d x n): W H, or Z₁ g(Z₂ ⋯ g(Z_m H_m)) with g relu for deep-relu, else the identity. */
function xHatOf(factors: Record<string, HostMatrix>, model: PageFitOptions["model"]): HostMatrix {
  if (factors.W) return times(factors.W, factors.H);
  const m = depth(factors);
  const g = model === "deep-relu" ? relu : (h: HostMatrix) => h;
  let xHat = factors[`H${m}`];
  for (let i = m; i >= 1; i--) xHat = times(factors[`Z${i}`], i < m ? g(xHat) : xHat);
  return xHat;
}

/** The X the model fitted: the data, with unit-length columns for Deep Semi-NMF. */
function fittedX(data: PageData, model: PageFitOptions["model"]): HostMatrix {
  if (!model.startsWith("deep")) return data.x;
  const { rows: d, cols: n } = data.x;
  const unit = normalizeColumns({ data: data.x.data as Float32Array, d, n });
  return { rows: d, cols: n, data: unit.data as Float32Array };
}

/** The model's basis in pixel space (W or Z₁⋯Z_m, d x k), its X̂ (d x n) and deepest code. */
export function pageDecode(
  factors: Record<string, HostMatrix>,
  options: Pick<PageFitOptions, "model">,
): { basis: HostMatrix; xHat: HostMatrix; code: HostMatrix } {
  const code = factors.W ? factors.H : factors[`H${depth(factors)}`];
  return { basis: basisOf(factors), xHat: xHatOf(factors, options.model), code };
}

const basisGrid = (basis: HostMatrix, { width, height, pixelOrder }: PageData) =>
  imageGrid(basis, { width, height, pixelOrder, scale: 2 });

const reconstructions = (x: HostMatrix, xHat: HostMatrix, data: PageData) => {
  const { width, height, pixelOrder } = data;
  return reconstructionGrid(x, xHat, { width, height, pixelOrder, scale: 2 }).image;
};

/** The basis images as one grid (for the page's live view and the report). */
export function basisImage(factors: Record<string, HostMatrix>, data: PageData): GrayImage {
  return basisGrid(basisOf(factors), data);
}

/** Originals beside their reconstructions, 16 seeded samples. */
export function reconstructionImage(
  factors: Record<string, HostMatrix>,
  data: PageData,
  options: Pick<PageFitOptions, "model">,
): GrayImage {
  return reconstructions(fittedX(data, options.model), xHatOf(factors, options.model), data);
}

/** Options of {@linkcode pageReport}. */
export interface PageReportOptions {
  /** The fit's options. */
  fit: PageFitOptions;
  /** The fit's end state (a PageFitResult). */
  result: PageFitProgress & { stopReason: string; seconds: number; messages: string[] };
  /** Encodes a gray image as PNG. */
  png: (image: GrayImage) => Promise<Uint8Array>;
  /** The adapter that ran the fit. */
  adapter?: { name: string; vendor?: string; isSoftware?: boolean } | null;
  /** When the run happened, as text. */
  createdAt?: string;
}

/**
 * The self-contained report.html of a page fit: the configuration, adapter and time, the loss
 * curve, basis images and reconstructions, reconstruction error, Hoyer sparsity of each factor
 * and, when the data has labels, k-means clustering of the deepest codes (scaled by the basis
 * norms) against them (accuracy with the Hungarian map, NMI).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { encodePng } from "../eval/encode_png.ts";
 * import { randomArray, seededRandom } from "../factorize/seeded_random.ts";
 * import { runPageFit } from "./page_fit.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { rows: 16, cols: 12, data: randomArray(seededRandom(1), 16 * 12, 0, 1) };
 * const fit = { model: "nmf-mu" as const, sizes: [3], maxIter: 10 };
 * const result = await runPageFit(gpu, { data: x.data, d: 16, n: 12 }, fit);
 * const data = { x, width: 4, height: 4, pixelOrder: "row-major" as const, name: "noise" };
 * const html = await pageReport(data, { fit, result, png: encodePng });
 * console.log(html.startsWith("<!DOCTYPE html>"), html.includes("Basis images")); // true true
 * gpu.destroy();
 * ```
 */
export async function pageReport(data: PageData, options: PageReportOptions): Promise<string> {
  const { fit, result } = options;
  const { factors } = result;
  const { basis, xHat, code } = pageDecode(factors, fit);
  const x = fittedX(data, fit.model);
  const label = `${PAGE_MODELS[fit.model]}, ${fit.sizes.join("-")}`;
  const clustering = [];
  if (data.labels) {
    const classes = new Set(data.labels).size;
    const replicates = 10;
    const features = transposeMatrix(scaleFreeCodes({ basis, codes: code }));
    const pred = (await kmeans(features, { k: classes, replicates })).labels;
    clustering.push({
      layer: "deepest code",
      accuracy: clusteringAccuracy(data.labels, pred),
      nmi: nmi(data.labels, pred),
      k: classes,
      replicates,
    });
  }
  const metrics = {
    probes: [],
    clustering,
    reconstruction: [{ layer: "X̂", relativeError: reconstructionErrors(x, xHat).relative }],
    sparsity: Object.entries(factors).map(([name, m]) => ({
      factor: name,
      hoyer: columnHoyerSparsity(m).mean,
    })),
    stages: [{ phase: "fit in the browser", seconds: result.seconds }],
  };
  return renderReport({
    title: `${data.name}, ${label}`,
    createdAt: options.createdAt,
    config: {
      data: data.name,
      size: `${data.width}x${data.height}`,
      n: data.x.cols,
      model: fit.model,
      sizes: fit.sizes,
      maxIter: fit.maxIter,
      seed: fit.seed ?? 0,
      iterations: result.iteration,
      stopReason: result.stopReason,
      messages: result.messages,
    },
    adapter: options.adapter ?? null,
    timings: metrics.stages,
    metrics,
    images: [
      { title: "Basis images", png: await options.png(basisGrid(basis, data)) },
      {
        title: "Reconstructions",
        caption: "Each sample left of its reconstruction, one shared contrast stretch.",
        png: await options.png(reconstructions(x, xHat, data)),
      },
    ],
    figures: [{
      title: "Loss",
      caption: `${result.iteration} iterations, stopped by ${result.stopReason}`,
      svg: lossCurveSvg([{ name: label, values: result.loss, x: result.lossIterations }], {
        title: `Loss of ${label}`,
        yLabel: "‖X − X̂‖",
      }),
    }],
  });
}
