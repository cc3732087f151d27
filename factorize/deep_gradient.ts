/**
 * The non-linear Deep Semi-NMF of Trigeorgis et al.'s Python code (dsnmf.py),
 * trained by gradient: X (d x n) ≈ Z₁ g(Z₂ g(⋯ g(Z_m H_m))), minimizing
 * ‖X − X̂‖²_F + Σᵢ λᵢ tr(Hᵢ Lᵢ Hᵢᵀ), where Hᵢ = g(Z_{i+1} H_{i+1}) (i < m) is the
 * code of layer i and H_m = relu(H̃) of a free H̃ (the authors' reparameterization)
 * or H_m itself, projected onto H_m >= 0 after each step. Adam (Kingma & Ba,
 * Algorithm 1) moves every Zᵢ and H̃ along the hand-derived gradient; forward pass,
 * backward pass and update are recorded on the GPU, with nothing read back.
 *
 * @module
 */

import { adamStep } from "../gpu/adam_step.ts";
import { elementwise } from "../gpu/elementwise.ts";
import { gemm } from "../gpu/gemm.ts";
import type { GpuCsr } from "../gpu/gpu_csr.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { graphTrace } from "../gpu/graph_trace.ts";
import { scaleColumns, spmm } from "../gpu/spmm.ts";
import type { DataMatrix } from "./data_matrix.ts";
import { miniBatch } from "./deep_mini_batch.ts";
import type { Activation } from "./deep_semi_nmf_options.ts";
import type { FitModel, Stepper } from "./fit.ts";
import type { NmfProblem } from "./nmf_problem.ts";

/** The elementwise ops of each activation: g (out = g(a)) and out = o ⊙ g'(a). */
const _OPS = {
  linear: null,
  relu: ["relu", "reluGrad"],
  sigmoid: ["sigmoid", "sigmoidGrad"],
  tanh: ["tanhScaled", "tanhScaledGrad"],
  softplus: ["softplus", "softplusGrad"],
} as const;

/**
 * Records out = g(pre) for the activation g (a copy for "linear").
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const pre = GpuMatrix.fromArray(gpu, 1, 2, new Float32Array([-1, 2]));
 * const out = GpuMatrix.empty(gpu, 1, 2);
 * applyActivation("relu", out, pre);
 * console.log(await out.toArray()); // Float32Array [0, 2]
 * gpu.destroy();
 * ```
 */
export function applyActivation(activation: Activation, out: GpuMatrix, pre: GpuMatrix): void {
  const op = _OPS[activation];
  elementwise(op ? op[0] : "scale", out, { a: pre, s: [1] });
}

/** One layer of the non-linear model on the GPU. */
export interface GradientLayer {
  /** Z_i (k_{i−1} x k_i; d x k₁ for the first layer), any sign. */
  z: GpuMatrix;
  /** H_i (k_i x n), the layer's code: g(P_i) below the last layer. */
  h: GpuMatrix;
  /** P_i = Z_{i+1} H_{i+1} (k_i x n), the pre-activation; null for the last layer. */
  pre: GpuMatrix | null;
  /** The layer's graph (Deep WSF), or null. */
  graph: GpuCsr | null;
  /** λ_i of its graph term. */
  lambda: number;
}

/** How the model is parameterized. */
export interface GradientModel {
  /** The layers, first to last. */
  layers: GradientLayer[];
  /** g between layers. */
  activation: Activation;
  /** H̃ with H_m = relu(H̃) (the authors' choice), or null: H_m is the parameter, projected. */
  free: GpuMatrix | null;
}

/**
 * Records the forward pass: H_m = relu(H̃) (when free), then for i = m−1 … 1
 * P_i = Z_{i+1} H_{i+1} and H_i = g(P_i).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const m = (r: number, c: number, v: number[]) => GpuMatrix.fromArray(gpu, r, c, new Float32Array(v));
 * const layers = [
 *   { z: m(1, 1, [1]), h: m(1, 2, [0, 0]), pre: m(1, 2, [0, 0]), graph: null, lambda: 0 },
 *   { z: m(1, 1, [-1]), h: m(1, 2, [1, 2]), pre: null, graph: null, lambda: 0 },
 * ];
 * recordForward({ layers, activation: "relu", free: m(1, 2, [1, 2]) });
 * console.log(await layers[0].h.toArray()); // Float32Array [0, 0]: relu(−1 · [1, 2])
 * gpu.destroy();
 * ```
 */
export function recordForward(model: GradientModel): void {
  const { layers, activation, free } = model;
  const m = layers.length;
  if (free) elementwise("relu", layers[m - 1].h, { a: free });
  for (let i = m - 2; i >= 0; i--) {
    const pre = layers[i].pre!;
    gemm(layers[i + 1].z, layers[i + 1].h, pre);
    applyActivation(activation, layers[i].h, pre);
  }
}

/** Scratch of {@linkcode recordGradients}: the products with X of the first layer. */
export interface GradientScratch {
  /** Z₁ᵀZ₁ and H₁H₁ᵀ (k₁ x k₁). */
  kk: GpuMatrix;
  /** Z₁ᵀX (k₁ x n). */
  ztx: GpuMatrix;
  /** X H₁ᵀ (d x k₁). */
  xht: GpuMatrix;
}

/**
 * Records the gradients of the cost at the current forward state: dZ[i] of
 * every Z_i, and dH[m−1] of the last layer's parameter (H̃ when free, else
 * H_m); dH[i] for i < m − 1 ends holding dCost/dP_i (scratch). With
 * R = Z₁H₁ − X: dZ₁ = 2 R H₁ᵀ = 2(Z₁ H₁H₁ᵀ − X H₁ᵀ), dH₁ = 2(Z₁ᵀZ₁ H₁ − Z₁ᵀX)
 * (X enters only X H₁ᵀ and Z₁ᵀX), + 2λᵢ Hᵢ(Dᵢ − Sᵢ) on each layer's code, then
 * down the chain dPᵢ = dHᵢ ⊙ g'(Pᵢ), dZ_{i+1} = dPᵢ H_{i+1}ᵀ, dH_{i+1} = Z_{i+1}ᵀ dPᵢ,
 * and dH̃ = dH_m ⊙ [H̃ > 0].
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * import { DataMatrix } from "./data_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const m = (r: number, c: number, v: number[]) => GpuMatrix.fromArray(gpu, r, c, new Float32Array(v));
 * const x = DataMatrix.upload(gpu, { data: new Float32Array([3]), d: 1, n: 1 });
 * const layer = { z: m(1, 1, [1]), h: m(1, 1, [1]), pre: null, graph: null, lambda: 0 };
 * const [dZ, dH] = [m(1, 1, [0]), m(1, 1, [0])];
 * const scratch = { kk: m(1, 1, [0]), ztx: m(1, 1, [0]), xht: m(1, 1, [0]) };
 * recordGradients(x, { layers: [layer], activation: "linear", free: null }, { dZ: [dZ], dH: [dH] }, scratch);
 * console.log(await dZ.toArray(), await dH.toArray()); // [-4] [-4]: 2 (1·1 − 3) · 1
 * gpu.destroy();
 * ```
 */
export function recordGradients(
  x: DataMatrix,
  model: GradientModel,
  grads: { dZ: GpuMatrix[]; dH: GpuMatrix[] },
  scratch: GradientScratch,
): void {
  const { layers, activation, free } = model;
  const { dZ, dH } = grads;
  const m = layers.length;
  const [z1, h1] = [layers[0].z, layers[0].h];
  gemm(z1, z1, scratch.kk, { transA: true });
  x.wtTimes(z1, scratch.ztx);
  gemm(scratch.kk, h1, dH[0], { alpha: 2 });
  elementwise("axpby", dH[0], { a: scratch.ztx, s: [1, -2] });
  gemm(h1, h1, scratch.kk, { transB: true });
  x.timesHt(h1, scratch.xht);
  gemm(z1, scratch.kk, dZ[0], { alpha: 2 });
  elementwise("axpby", dZ[0], { a: scratch.xht, s: [1, -2] });
  const op = _OPS[activation];
  for (let i = 0; i < m; i++) {
    const { h, graph, lambda } = layers[i];
    if (graph && lambda !== 0) {
      spmm(h, graph, dH[i], { alpha: -2 * lambda, beta: 1 });
      scaleColumns(h, graph, dH[i], { alpha: 2 * lambda, beta: 1 });
    }
    if (i === m - 1) break;
    if (op) elementwise(op[1], dH[i], { a: layers[i].pre! });
    gemm(dH[i], layers[i + 1].h, dZ[i + 1], { transB: true });
    gemm(layers[i + 1].z, dH[i], dH[i + 1], { transA: true });
  }
  if (free) elementwise("reluGrad", dH[m - 1], { a: free });
}

/** Options of {@linkcode deepGradientStepper}. */
export interface AdamOptions {
  /** Step size α. */
  lr: number;
  /** β₁, β₂ and ε of Adam (the authors': 0.9, 0.999, 1e-8). */
  beta1: number;
  /** Decay of the second moment. */
  beta2: number;
  /** ε of the denominator. */
  epsilon: number;
  /** Samples per step and the seed of their order (see {@linkcode miniBatch}); null: all. */
  batch?: { size: number; seed: number } | null;
}

/**
 * One Adam step on every parameter per iteration (gradients, the moment updates,
 * the step with the bias correction α √(1 − β₂ᵗ) / (1 − β₁ᵗ), the projection of
 * H_m when it is the parameter, the forward pass). With `batch`, each step's
 * gradient is that of the cost on one mini-batch of samples, which moves every
 * Zᵢ and the batch's columns of H̃ (see {@linkcode miniBatch}); the forward pass
 * stays whole, so the state and the cost are always those of all samples. Its
 * state holds the layers' Z_i, H_i and P_i, H̃, and both moments of each
 * parameter; `extra` holds the step count t, which also fixes the next batch.
 * The cost is sqrt(‖X − Z₁H₁‖² + Σ λᵢ tr(Hᵢ Lᵢ Hᵢᵀ)) over all samples.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * import { NmfProblem } from "./nmf_problem.ts";
 * const gpu = await Gpu.create({ log: null });
 * const m = (r: number, c: number, v: number[]) => GpuMatrix.fromArray(gpu, r, c, new Float32Array(v));
 * const problem = await NmfProblem.create(gpu, { data: new Float32Array([3, 1]), d: 1, n: 2 });
 * const layer = { z: m(1, 1, [1]), h: m(1, 2, [1, 1]), pre: null, graph: null, lambda: 0 };
 * const model = { layers: [layer], activation: "linear" as const, free: m(1, 2, [1, 1]) };
 * const { stepper, dispose } = deepGradientStepper(problem, model, {
 *   lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
 * });
 * const before = await stepper.error();
 * for (let t = 0; t < 50; t++) stepper.step();
 * console.log(before.toFixed(3), (await stepper.error()) < before); // 2.000 true
 * dispose();
 * gpu.destroy();
 * ```
 */
export function deepGradientStepper(
  problem: NmfProblem,
  model: GradientModel,
  adam: AdamOptions,
): {
  stepper: Stepper;
  state: Record<string, GpuMatrix>;
  extra: NonNullable<FitModel["extra"]>;
  dispose: () => void;
} {
  const gpu = problem.gpu;
  const { layers, free } = model;
  const m = layers.length;
  const held: GpuMatrix[] = [];
  const zeros = (rows: number, cols: number) => {
    const mtx = GpuMatrix.fromArray(gpu, rows, cols, new Float32Array(rows * cols));
    held.push(mtx);
    return mtx;
  };
  const like = (t: GpuMatrix) => zeros(t.rows, t.cols);
  const params = [...layers.map((l) => l.z), free ?? layers[m - 1].h];
  const names = [...layers.map((_, i) => `Z${i + 1}`), free ? "Hfree" : `H${m}`];
  const grads = params.map((p) => like(p));
  const first = params.map((p) => like(p));
  const second = params.map((p) => like(p));
  const k1 = layers[0].h.rows;
  const scratch = {
    kk: zeros(k1, k1),
    ztx: like(layers[0].h),
    xht: like(layers[0].z),
  };
  // dH of the layers below the last are their own scratch; the last one's is the parameter's.
  const dH = [...layers.slice(0, -1).map((l) => like(l.h)), grads[m]];
  const batch = adam.batch && adam.batch.size < problem.n
    ? miniBatch(problem.dense(), model, adam.batch.size, adam.batch)
    : null;
  // What a step differentiates and moves: the whole top parameter, or the batch's columns of it.
  const top = batch?.top ??
    { param: params[m], grad: grads[m], first: first[m], second: second[m] };
  const moved = {
    params: [...params.slice(0, m), top.param],
    grads: [...grads.slice(0, m), top.grad],
    first: [...first.slice(0, m), top.first],
    second: [...second.slice(0, m), top.second],
  };
  let t = 0;
  const state: Record<string, GpuMatrix> = {};
  layers.forEach((l, i) => {
    state[`Z${i + 1}`] = l.z;
    state[`H${i + 1}`] = l.h;
    if (l.pre) state[`P${i + 1}`] = l.pre;
  });
  if (free) state.Hfree = free;
  names.forEach((name, j) => {
    state[`adam1_${name}`] = first[j];
    state[`adam2_${name}`] = second[j];
  });
  const lossState = problem.lossState();
  const stepper: Stepper = {
    step() {
      const dZ = grads.slice(0, m);
      if (batch) {
        batch.gather(t, { first: first[m], second: second[m] });
        recordGradients(batch.x, batch.model, { dZ, dH: batch.dH }, batch.scratch);
      } else recordGradients(problem.dense(), model, { dZ, dH }, scratch);
      t++;
      const { lr, beta1, beta2, epsilon } = adam;
      const rate = lr * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t);
      moved.params.forEach((p, j) => {
        const [grad, first, second] = [moved.grads[j], moved.first[j], moved.second[j]];
        adamStep(p, { grad, first, second, rate, beta1, beta2, epsilon });
      });
      if (!free) elementwise("nonNegative", top.param);
      batch?.scatter(params[m], { first: first[m], second: second[m] });
      recordForward(model);
    },
    async error() {
      const e = await problem.error(layers[0].z, layers[0].h, "frobenius");
      let cost = e * e;
      for (const l of layers) {
        if (l.graph && l.lambda > 0) cost += l.lambda * await graphTrace(l.h, l.graph);
      }
      return Math.sqrt(Math.max(cost, 0));
    },
  };
  return {
    stepper,
    state,
    extra: {
      save: () => ({ ...lossState.save(), adamSteps: t }),
      load(saved) {
        lossState.load(saved);
        t = Number(saved.adamSteps ?? 0);
      },
    },
    dispose() {
      held.forEach((mtx) => mtx.dispose());
      batch?.dispose();
    },
  };
}
