/**
 * Deep Semi-NMF's fine-tuning sweep (Trigeorgis et al., ICML 2014; the authors'
 * deep_seminmf.m) as a {@linkcode Stepper} over the layers' Z_i and H_i on the GPU.
 *
 * @module
 */

import { gemm } from "../gpu/gemm.ts";
import type { GpuCsr } from "../gpu/gpu_csr.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { graphTrace } from "../gpu/graph_trace.ts";
import { spdInverse } from "../gpu/spd_inverse.ts";
import { SpdStatus } from "../gpu/spd_status.ts";
import type { Stepper } from "./fit.ts";
import type { NmfProblem } from "./nmf_problem.ts";
import { semiNmfUpdateH } from "./semi_nmf.ts";

/** One layer of a deep fit on the GPU. */
export interface DeepLayer {
  /** Z_i (k_{i−1} x k_i; d x k₁ for the first layer). */
  z: GpuMatrix;
  /** H_i (k_i x n), >= 0. */
  h: GpuMatrix;
  /** The layer's graph (Deep WSF), or null. */
  graph: GpuCsr | null;
  /** λ_i of its graph term. */
  lambda: number;
}

/**
 * One fine-tuning sweep of the authors' deep_seminmf.m, with every pseudo-inverse
 * through k x k solves. There H̃_m = H_m, H̃_i = Z_{i+1} H̃_{i+1} = C_i H_m with
 * C_i = Z_{i+1} ⋯ Z_m (k_i x k_m, the Z's of the last sweep), and for i = 1..m
 * Z_i = Ψ_{i−1}⁺ X H̃_i⁺ (Ψ_{i−1} = Z₁ ⋯ Z_{i−1} with this sweep's Z's, Ψ₀ = I), then
 * the semi-NMF update of H_i with Ψ_iᵀX and Ψ_iᵀΨ_i (plus the graph terms).
 *
 * Computed exactly but stably: with P = X H_mᵀ (d x k_m) and
 * R_i = (H_m H_mᵀ)⁻¹ (C_iᵀC_i)⁻¹ C_iᵀ (k_m x k_i) = H̃_i⁺'s right factor (H̃_i⁺ = H_m⁺ C_i⁺,
 * C_i of full column rank, H_m of full row rank), Z₁ = X H̃₁⁺ = P R₁, and by induction
 * Ψ_i = P R_i, so Z_i = Ψ_{i−1}⁺ X H̃_i⁺ = R_{i−1}⁺ (PᵀP)⁻¹ PᵀX H_mᵀ R_i = R_{i−1}⁺ R_i
 * (as PᵀX H_mᵀ = PᵀP). Ψ_i has rank k_m, so Ψ_iᵀΨ_i is singular for i < m and the
 * literal (Ψᵀ Ψ)⁻¹Ψᵀ would be ill-posed; here only H_m H_mᵀ, C_iᵀC_i and R_iR_iᵀ
 * (k x k, full rank) are inverted, by Cholesky on the GPU (the ridge grows on the device
 * when one is singular; said at the next loss check), so a sweep reads nothing back.
 * Ψ_iᵀX = R_iᵀ (PᵀX), so X enters only P = X H_mᵀ and PᵀX: two d x n x k_m products per
 * sweep. Ψ_iᵀΨ_i is the
 * Gram of Ψ_i = P R_i formed explicitly (d x k_i, cheap): the shorter R_iᵀ (PᵀP) R_i
 * loses f32 precision when P's columns are nearly parallel (samples with a large common
 * mean, k-means indicators + 0.2 as H): at n = 20,000, d = 256, k = 64 it was 11% from
 * float64 against 0.3% for the explicit Gram, while R_iᵀ (PᵀX) stays as close as Ψ_iᵀX.
 */
export function deepFineTuneStepper(
  problem: NmfProblem,
  layers: DeepLayer[],
  ridge: number | undefined,
): { stepper: Stepper; dispose: () => void } {
  const gpu = problem.gpu;
  const x = problem.x;
  const { d, n } = problem;
  const m = layers.length;
  const ks = layers.map((l) => l.h.rows);
  const km = ks[m - 1];
  const hm = layers[m - 1].h;
  const held: GpuMatrix[] = [];
  const mk = (rows: number, cols: number) => {
    const mtx = GpuMatrix.empty(gpu, rows, cols);
    held.push(mtx);
    return mtx;
  };
  const status = SpdStatus.create(gpu);
  const gm = mk(km, km);
  const gInv = mk(km, km);
  const sq = mk(km, km); // CᵢᵀCᵢ or R_{i−1}R_{i−1}ᵀ
  const sqInv = mk(km, km);
  const p = mk(d, km);
  const f = mk(km, n);
  // C_i = Z_{i+1} ⋯ Z_m (k_i x k_m) for i < m − 1 (C_{m−2} is Z_m itself), R_i (k_m x k_i),
  // and a k_m x k_i scratch per layer; Ψ_i = P R_i (d x k_i) for i > 0 (Ψ₁ is Z₁).
  const c = ks.map((k, i) => (i < m - 2 ? mk(k, km) : null));
  const r = ks.map((k, i) => (i < m - 1 ? mk(km, k) : gInv));
  const t = ks.map((k) => mk(km, k));
  const psis = ks.map((k, i) => (i === 0 ? null : mk(d, k)));
  const a = ks.map((k) => mk(k, n));
  const b = ks.map((k) => mk(k, k));
  const psi = m > 1 ? mk(d, km) : null;
  const cOf = (i: number) => (i === m - 2 ? layers[m - 1].z : c[i]!);
  const messages: string[] = [];
  const stepper: Stepper = {
    messages,
    step() {
      gemm(hm, hm, gm, { transB: true });
      x.timesHt(hm, p);
      x.wtTimes(p, f);
      spdInverse(gm, gInv, { status, ridge });
      // R_i = (H_m H_mᵀ)⁻¹ (C_iᵀC_i)⁻¹ C_iᵀ from the Z's of the last sweep.
      for (let i = m - 3; i >= 0; i--) gemm(layers[i + 1].z, cOf(i + 1), c[i]!);
      for (let i = m - 2; i >= 0; i--) {
        gemm(cOf(i), cOf(i), sq, { transA: true });
        spdInverse(sq, sqInv, { status, ridge });
        gemm(sqInv, cOf(i), t[i], { transB: true });
        gemm(gInv, t[i], r[i]);
      }
      for (let i = 0; i < m; i++) {
        if (i === 0) gemm(p, r[0], layers[0].z);
        else {
          // Z_i = R_{i−1}⁺ R_i = R_{i−1}ᵀ (R_{i−1} R_{i−1}ᵀ)⁻¹ R_i
          gemm(r[i - 1], r[i - 1], sq, { transB: true });
          spdInverse(sq, sqInv, { status, ridge });
          gemm(sqInv, r[i], t[i]);
          gemm(r[i - 1], t[i], layers[i].z, { transA: true });
        }
        gemm(r[i], f, a[i], { transA: true });
        let psiI = layers[0].z;
        if (i > 0) {
          psiI = psis[i]!;
          gemm(p, r[i], psiI);
        }
        gemm(psiI, psiI, b[i], { transA: true });
        semiNmfUpdateH(layers[i].h, {
          gram: b[i],
          numer: a[i],
          graph: layers[i].graph,
          lambda: layers[i].lambda,
        });
      }
    },
    async error() {
      let w = layers[0].z;
      if (psi) {
        // Ψ_m = Z₁ (Z₂ (⋯ Z_m)), the inner products into the C scratch
        let prod = layers[m - 1].z;
        for (let i = m - 2; i >= 1; i--) {
          gemm(layers[i].z, prod, c[i - 1]!);
          prod = c[i - 1]!;
        }
        gemm(layers[0].z, prod, psi);
        w = psi;
      }
      // The status read is issued with the loss's first read: one wait for both.
      const [e, msg] = await Promise.all([
        problem.error(w, hm, "frobenius"),
        status.message({ ridge }),
      ]);
      if (msg) messages.push(`Deep Semi-NMF: ${msg}`);
      let sqCost = e * e;
      for (const l of layers) {
        if (l.graph && l.lambda > 0) sqCost += l.lambda * await graphTrace(l.h, l.graph);
      }
      return Math.sqrt(Math.max(sqCost, 0));
    },
  };
  const dispose = () => {
    for (const mtx of held) mtx.dispose();
    status.dispose();
  };
  return { stepper, dispose };
}
