/**
 * Sample graphs straight from factorization input (X, d x n, either orientation):
 * the unsupervised kNN graph of GNMF and the per-attribute label graphs of Deep WSF.
 *
 * @module
 */

import type { Gpu } from "../gpu/gpu.ts";
import type { CsrGraph } from "../gpu/gpu_csr.ts";
import type { DataInput } from "./data_matrix.ts";
import { knnGraph, type KnnGraphOptions } from "./knn_graph.ts";
import { normalizeColumns } from "./normalize_columns.ts";
import { projectRows } from "./project_rows.ts";

/** Options of {@linkcode sampleGraph}: those of {@linkcode knnGraph} (less `dim`), plus `normalize`. */
export interface SampleGraphOptions extends Omit<KnnGraphOptions, "dim"> {
  /** Scale samples to unit L2 norm before measuring distances. Default false. */
  normalize?: boolean;
}

/** The samples as an n x d f32 matrix (the layout knnGraph takes). */
function _sampleRows(input: DataInput): Float32Array {
  const { data, d, n } = input;
  if (input.samplesAsRows && data instanceof Float32Array) return data;
  const scale = data instanceof Uint8Array ? 1 / 255 : 1;
  if (input.samplesAsRows) return Float32Array.from(data, (v) => v * scale);
  const out = new Float32Array(n * d);
  for (let f = 0; f < d; f++) for (let s = 0; s < n; s++) out[s * d + f] = data[f * n + s] * scale;
  return out;
}

/**
 * The symmetric weighted graph of the samples of X (d x n): exact kNN on the GPU
 * ({@linkcode knnGraph}), within labels when `labels` are given. With the defaults
 * (k = 5, binary weights) it is the graph of Cai et al.'s GNMF demo (TPAMI 2011).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * // 4 samples (columns) of 2 features: two close pairs
 * const x = { data: new Float32Array([0, 1, 5, 6, 0, 0, 5, 5]), d: 2, n: 4 };
 * const graph = await sampleGraph(gpu, x, { k: 1 });
 * console.log(graph.cols, graph.degrees); // Uint32Array [1, 0, 3, 2] Float32Array [1, 1, 1, 1]
 * gpu.destroy();
 * ```
 */
export async function sampleGraph(
  gpu: Gpu,
  input: DataInput,
  options: SampleGraphOptions = {},
): Promise<CsrGraph> {
  const { normalize = false, ...rest } = options;
  const data = normalize ? normalizeColumns(input) : input;
  return await knnGraph(gpu, _sampleRows(data), { ...rest, dim: input.d });
}

/** Options of {@linkcode attributeGraphs}. */
export interface AttributeGraphOptions extends Omit<SampleGraphOptions, "labels"> {
  /**
   * One entry per layer: the attribute's label of each sample (Int32Array of length n,
   * negative = unknown), or null for a layer without a graph. Required.
   */
  labels: (Int32Array | null)[];
}

/**
 * The per-layer graphs of Deep WSF (Trigeorgis et al., TPAMI 2017): for each layer
 * with an attribute, the kNN graph of the samples restricted to samples sharing the
 * label (or the complete within-class graph with `complete`); unknown labels get
 * plain kNN edges or none (`unlabeled`). `normalize` defaults to true, matching
 * {@linkcode deepSemiNmf}'s default. The CelebA configuration: layers [512, 256],
 * layer 1 from Young, layer 2 from Smiling.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { deepSemiNmf } from "./deep_semi_nmf.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, -1, 1), d: 30, n: 20 };
 * const young = Int32Array.from({ length: 20 }, (_, i) => i % 2); // an attribute per sample
 * const graphs = await attributeGraphs(gpu, x, { labels: [young, null], k: 3 }); // layer 2: none
 * const options = { layers: [6, 3], graphs, pretrainMaxIter: 20, maxIter: 20 };
 * const r = await deepSemiNmf(gpu, x, options); // Deep WSF
 * console.log(graphs[0]?.n, graphs[1], r.factors.H.length); // 20 null 2
 * gpu.destroy();
 * ```
 */
export async function attributeGraphs(
  gpu: Gpu,
  input: DataInput,
  options: AttributeGraphOptions,
): Promise<(CsrGraph | null)[]> {
  if (typeof options !== "object" || options === null || !Array.isArray(options.labels)) {
    throw new TypeError("Option labels must be an array with one Int32Array (or null) per layer");
  }
  const { labels, normalize = true, reduce, ...rest } = options;
  labels.forEach((l, i) => {
    if (l === null) return;
    if (!(l instanceof Int32Array)) {
      throw new TypeError(`Option labels[${i}] must be an Int32Array or null`);
    }
    if (l.length !== input.n) {
      throw new RangeError(
        `Option labels[${i}] has ${l.length} labels, the data has n = ${input.n}`,
      );
    }
  });
  if (!labels.some((l) => l)) return labels.map(() => null);
  const data = normalize ? normalizeColumns(input) : input;
  let rows = _sampleRows(data);
  let dim = input.d;
  if (reduce !== undefined) {
    // one projection serves every layer's graph (knnGraph's reduce would redo it per graph)
    rows = await projectRows(gpu, rows, dim, reduce);
    dim = reduce;
  }
  const out: (CsrGraph | null)[] = [];
  for (const l of labels) {
    out.push(l ? await knnGraph(gpu, rows, { ...rest, labels: l, dim }) : null);
  }
  return out;
}
