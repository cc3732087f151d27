/**
 * The reconstruction of a fitted Deep Semi-NMF from one layer's codes:
 * X̂ = Z₁ g(Z₂ g(⋯ g(Z_i H_i))), the model's decoder (Z₁ ⋯ Z_i H_i when linear).
 *
 * @module
 */

import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { applyActivation } from "./deep_gradient.ts";
import type { Activation } from "./deep_semi_nmf_options.ts";
import type { HostMatrix } from "./factorization_result.ts";
import { OptionError } from "./option_schema.ts";

/** Options of {@linkcode deepDecode}. */
export interface DeepDecodeOptions {
  /** Z₁ … Z_m of the fit. */
  Z: HostMatrix[];
  /** g between the layers. Default "linear". */
  activation?: Activation;
  /** Return n x d (samples as rows) instead of d x n. Default false. */
  samplesAsRows?: boolean;
}

/**
 * X̂ (d x n) from codes H_i (k_i x n) of layer i = `options.layer` (1 … m),
 * computed on the GPU.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const Z = [
 *   { rows: 2, cols: 1, data: new Float32Array([1, 2]) }, // Z₁: d = 2, k₁ = 1
 *   { rows: 1, cols: 1, data: new Float32Array([-1]) }, // Z₂: k₂ = 1
 * ];
 * const h2 = { rows: 1, cols: 2, data: new Float32Array([1, -3]) };
 * const xHat = await deepDecode(gpu, h2, { Z, activation: "relu", layer: 2 });
 * console.log(xHat.data); // Float32Array [0, 3, 0, 6]: Z₁ relu(Z₂ H₂)
 * gpu.destroy();
 * ```
 */
export async function deepDecode(
  gpu: Gpu,
  codes: HostMatrix,
  options: DeepDecodeOptions & { layer: number },
): Promise<HostMatrix> {
  const { Z, layer, activation = "linear" } = options;
  if (!Number.isInteger(layer) || layer < 1 || layer > Z.length) {
    throw new OptionError(`Option layer must be an integer in [1, ${Z.length}], got ${layer}`);
  }
  if (codes.rows !== Z[layer - 1].cols) {
    throw new OptionError(
      `Codes have ${codes.rows} rows; layer ${layer} has ${Z[layer - 1].cols} components`,
    );
  }
  const held: GpuMatrix[] = [];
  const keep = (m: GpuMatrix) => (held.push(m), m);
  const up = (m: HostMatrix) => keep(GpuMatrix.fromArray(gpu, m.rows, m.cols, m.data));
  try {
    let h = up(codes);
    for (let j = layer - 1; j >= 1; j--) {
      const pre = keep(GpuMatrix.empty(gpu, Z[j].rows, codes.cols));
      gemm(up(Z[j]), h, pre);
      h = keep(GpuMatrix.empty(gpu, pre.rows, pre.cols));
      applyActivation(activation, h, pre);
    }
    const z1 = up(Z[0]);
    const rows = options.samplesAsRows;
    const out = keep(
      GpuMatrix.empty(gpu, rows ? codes.cols : z1.rows, rows ? z1.rows : codes.cols),
    );
    if (rows) gemm(h, z1, out, { transA: true, transB: true });
    else gemm(z1, h, out);
    return { rows: out.rows, cols: out.cols, data: await out.toArray() };
  } finally {
    held.forEach((m) => m.dispose());
  }
}
