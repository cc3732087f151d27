// Runs a solver for a few iterations from a custom start and compares with a float64 reference.

import { nmf } from "../../factorize/nmf.ts";
import type { NmfOptions } from "../../factorize/nmf_options.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { type Mat, mat, planted, startFactors } from "./_nmf_reference.ts";

export async function checkAgainstReference(
  options: Partial<NmfOptions>,
  ref: (x: Mat, w: Mat, h: Mat) => [Mat, Mat],
  tol: number,
  iters = 3,
): Promise<void> {
  const gpu = await testGpu();
  const [d, n, k] = [23, 17, 3];
  const x = planted(d, n, k, 7, 0.05);
  const { W, H } = startFactors(d, n, k, 8);
  for (const samplesAsRows of [false, true]) {
    const data = samplesAsRows ? transpose(x, d, n) : x;
    const r = await nmf(gpu, { data, d, n, samplesAsRows }, {
      rank: k,
      ...options,
      init: "custom",
      W,
      H,
      maxIter: iters,
      tol: 0,
    });
    let w = mat(d, k, W.data);
    let h = mat(k, n, H.data);
    for (let i = 0; i < iters; i++) [w, h] = ref(mat(d, n, x), w, h);
    const label = `${options.solver ?? "mu"} ${
      options.betaLoss ?? ""
    } samplesAsRows=${samplesAsRows}`;
    assertClose(r.factors.W.data, w.v, tol, `${label} W`);
    assertClose(r.factors.H.data, h.v, tol, `${label} H`);
  }
}

export function transpose(x: Float32Array, r: number, c: number): Float32Array {
  const t = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j];
  return t;
}
