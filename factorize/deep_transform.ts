/**
 * Features of new samples for every layer of a fitted Deep Semi-NMF / Deep WSF.
 *
 * @module
 */

import { elementwise } from "../gpu/elementwise.ts";
import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { reduceToNumber } from "../gpu/reduce.ts";
import { checkInput } from "./check_input.ts";
import { invertSpd } from "./cholesky.ts";
import { type DataInput, DataMatrix } from "./data_matrix.ts";
import type { DeepFactors } from "./deep_semi_nmf.ts";
import type { HostMatrix } from "./factorization_result.ts";
import { normalizeColumns } from "./normalize_columns.ts";
import { objectOption, OptionError, type OptionsOf, resolveOptions } from "./option_schema.ts";
import { semiNmfUpdateH } from "./semi_nmf.ts";

/** The options of {@linkcode deepTransform}. */
export const DEEP_TRANSFORM_OPTIONS = {
  factors: {
    ...objectOption<DeepFactors>(
      "The fitted model (its Z's; `normalized` says whether to scale the samples first).",
    ),
    required: true,
  },
  method: {
    type: "string",
    oneOf: ["pinv", "mu"],
    default: "pinv",
    doc: "pinv: H_j = max(Ψ_j⁺ X, 0), as the authors' code; mu: that, lifted off zero, then " +
      "`iterations` semi-NMF updates of H_j with Ψ_j = Z₁ ⋯ Z_j fixed.",
  },
  iterations: { type: "integer", min: 0, default: 30, doc: "Updates of method mu." },
  ridge: { type: "number", min: 0, default: 1e-10, doc: "Relative ridge of the k x k solves." },
} as const;

/** Options of {@linkcode deepTransform} (see {@linkcode DEEP_TRANSFORM_OPTIONS}). */
export type DeepTransformOptions = OptionsOf<typeof DEEP_TRANSFORM_OPTIONS>;

/**
 * Features of new samples X (d x n) for every layer of a fitted Deep Semi-NMF /
 * Deep WSF model: H_j (k_j x n) >= 0 with X ≈ Ψ_j H_j, Ψ_j = Z₁ ⋯ Z_j (Trigeorgis
 * et al., ICML 2014), by the pseudo-inverse (default) or multiplicative updates.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { deepSemiNmf } from "./deep_semi_nmf.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, -1, 1), d: 30, n: 20 };
 * const r = await deepSemiNmf(gpu, x, { layers: [6, 3], pretrainMaxIter: 20, maxIter: 20 });
 * const xNew = { data: randomArray(seededRandom(2), 30 * 5, -1, 1), d: 30, n: 5 };
 * const [h1, h2] = await deepTransform(gpu, xNew, { factors: r.factors });
 * console.log(h1.rows, h2.rows, h2.cols); // 6 3 5
 * gpu.destroy();
 * ```
 */
export async function deepTransform(
  gpu: Gpu,
  input: DataInput,
  options: DeepTransformOptions,
): Promise<HostMatrix[]> {
  const o = resolveOptions(DEEP_TRANSFORM_OPTIONS, options, { what: "Deep transform" });
  const { factors: f, method, iterations } = o;
  if ((f.activation ?? "linear") !== "linear") {
    throw new OptionError(
      `Option factors is a model with activation "${f.activation}"; deepTransform solves the ` +
        "linear model only",
    );
  }
  if (!Array.isArray(f.Z) || f.Z.length === 0) {
    throw new OptionError("Option factors.Z must be a non-empty array of layers");
  }
  if (f.Z[0].rows !== input?.d) {
    throw new OptionError(
      `Option factors has Z₁ with ${f.Z[0].rows} rows; the data has d = ${input?.d}`,
    );
  }
  checkInput(input, { rank: 1, allowNegative: true });
  const data = f.normalized ? normalizeColumns(input) : input;
  const x = DataMatrix.upload(gpu, data);
  const n = input.n;
  const held: GpuMatrix[] = [];
  const keep = (mtx: GpuMatrix) => (held.push(mtx), mtx);
  try {
    let psi = keep(GpuMatrix.fromArray(gpu, f.Z[0].rows, f.Z[0].cols, f.Z[0].data));
    const out: HostMatrix[] = [];
    for (let j = 0; j < f.Z.length; j++) {
      if (j > 0) {
        const zj = keep(GpuMatrix.fromArray(gpu, f.Z[j].rows, f.Z[j].cols, f.Z[j].data));
        const next = keep(GpuMatrix.empty(gpu, psi.rows, zj.cols));
        gemm(psi, zj, next);
        psi = next;
      }
      const k = psi.cols;
      const gram = keep(GpuMatrix.empty(gpu, k, k));
      const numer = keep(GpuMatrix.empty(gpu, k, n));
      const sol = keep(GpuMatrix.empty(gpu, k, n));
      const h = keep(GpuMatrix.empty(gpu, k, n));
      gemm(psi, psi, gram, { transA: true });
      x.wtTimes(psi, numer);
      const inv = invertSpd(await gram.toArray(), k, { ridge: o.ridge });
      const invM = keep(GpuMatrix.fromArray(gpu, k, k, Float32Array.from(inv.x)));
      gemm(invM, numer, sol);
      elementwise("signedPart", h, { a: sol, s: [1] });
      if (method === "mu") {
        const mean = (await reduceToNumber("sum", h)) / (k * n);
        elementwise("affine", h, { s: [1, 0.2 * Math.max(mean, 1e-6)] });
        for (let t = 0; t < iterations; t++) semiNmfUpdateH(h, { gram, numer });
      }
      out.push({ rows: k, cols: n, data: await h.toArray() });
    }
    return out;
  } finally {
    for (const mtx of held) mtx.dispose();
    x.dispose();
  }
}
