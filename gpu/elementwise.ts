/**
 * Elementwise kernels on the GPU from one WGSL template: scale, clamp at a
 * floor, masking, and the fused factor updates of the NMF family
 * (multiplicative, KL, semi-NMF, projected gradient).
 *
 * @module
 */

import { fillTemplate } from "./fill_template.ts";
import type { KernelVariant } from "./gpu.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import { linearGrid } from "./linear_grid.ts";
import elementwiseWgsl from "./elementwise.wgsl" with { type: "text" };

/**
 * The operations, as WGSL expressions for the new `out[i]`. `o` is shorthand
 * for the old `out[i]`; a, b, c are inputs; s0..s3 scalars; u0, u1 integers.
 */
export const ELEMENTWISE_OPS = {
  /** out = s0 · a */
  scale: "p.s0 * a[i]",
  /** out = s0 · o + s1 */
  affine: "p.s0 * o + p.s1",
  /** out = max(a, s0) */
  clampMin: "max(a[i], p.s0)",
  /** out = o · a (e.g. mask ⊙ WH) */
  multiply: "o * a[i]",
  /** out = a where b > 0, else 0 (zeroes missing entries, NaN included) */
  maskSelect: "select(0.0, a[i], b[i] > 0.0)",
  /** out = max(s0 · a, 0): the positive part A⁺ (s0 = 1) or the negative part A⁻ (s0 = −1) */
  signedPart: "max(p.s0 * a[i], 0.0)",
  /** out = a / max(o, s0): X / WH for the KL updates, o holding WH */
  ratio: "a[i] / max(o, p.s0)",
  /** Multiplicative update: out = o · a / max(b + s0 + s1 o, s2) (a numerator, b denominator, s0 L1, s1 L2) */
  mu: "o * a[i] / max(b[i] + p.s0 + p.s1 * o, p.s2)",
  /** As `mu` with the denominator b broadcast: b[(i / u0) % u1] (KL: row or column sums) */
  muBroadcast: "o * a[i] / max(b[(i / p.u0) % p.u1] + p.s0 + p.s1 * o, p.s2)",
  /**
   * Semi-NMF update: out = o · sqrt((a⁺ + b) / max(a⁻ + c, s2)) with a = ZᵀX,
   * b = [ZᵀZ]⁻ H, c = [ZᵀZ]⁺ H.
   */
  semiNmf: "o * sqrt((max(a[i], 0.0) + b[i]) / max(max(-a[i], 0.0) + c[i], p.s2))",
  /**
   * Projected gradient step: out = max(o − s3 (a − b + s0 + s1 o), 0) with a = W (HHᵀ),
   * b = X Hᵀ (the gradient of ½‖X − WH‖² plus L1 s0 and L2 s1), step s3.
   */
  projectedGradient: "max(o - p.s3 * (a[i] - b[i] + p.s0 + p.s1 * o), 0.0)",
  /** As `projectedGradient` with the step read from the GPU: c[1] (largestEigenvalue's 1 / L). */
  projectedGradientStep: "max(o - c[1] * (a[i] - b[i] + p.s0 + p.s1 * o), 0.0)",
  /** out = s0 · o + s1 · a */
  axpby: "p.s0 * o + p.s1 * a[i]",
  /** out = max(o, 0): projection onto the non-negative orthant */
  nonNegative: "max(o, 0.0)",
  /** out = relu(a) = max(a, 0) */
  relu: "max(a[i], 0.0)",
  /** out = o ⊙ relu'(a) (0 where a <= 0) */
  reluGrad: "select(0.0, o, a[i] > 0.0)",
  /** out = sigmoid(a) = 1 / (1 + e^−a) */
  sigmoid: "1.0 / (1.0 + exp(-clamp(a[i], -30.0, 30.0)))",
  /** out = o ⊙ sigmoid'(a) = o σ(a) (1 − σ(a)) */
  sigmoidGrad: "o / (2.0 + exp(-clamp(a[i], -30.0, 30.0)) + exp(clamp(a[i], -30.0, 30.0)))",
  /** out = 1.7159 tanh(2a / 3) (LeCun's scaled tanh, the authors' MATLAB choice) */
  tanhScaled: "1.7159 * tanh(0.6666667 * clamp(a[i], -15.0, 15.0))",
  /** out = o ⊙ d/da 1.7159 tanh(2a / 3) = o 1.1439333 (1 − tanh²(2a / 3)) */
  tanhScaledGrad: "o * 1.1439333 * (1.0 - tanh(0.6666667 * clamp(a[i], -15.0, 15.0)) * " +
    "tanh(0.6666667 * clamp(a[i], -15.0, 15.0)))",
  /** out = softplus(a) = log(1 + e^a), computed as max(a, 0) + log(1 + e^−|a|) */
  softplus: "max(a[i], 0.0) + log(1.0 + exp(-abs(a[i])))",
  /** out = o ⊙ softplus'(a) = o σ(a) */
  softplusGrad: "o / (1.0 + exp(-clamp(a[i], -30.0, 30.0)))",
} as const;

/** Name of an elementwise operation. */
export type ElementwiseOp = keyof typeof ELEMENTWISE_OPS;

/** Inputs and parameters of {@linkcode elementwise}. */
export interface ElementwiseArgs {
  /** First input (default: none; a buffer is bound anyway and not read). */
  a?: GpuMatrix;
  /** Second input. */
  b?: GpuMatrix;
  /** Third input. */
  c?: GpuMatrix;
  /** f32 scalars s0..s3 (default 0). */
  s?: readonly number[];
  /** u32 parameters u0, u1 (default 1). */
  u?: readonly number[];
}

const SOURCE = elementwiseWgsl;
const variants = new Map<ElementwiseOp, KernelVariant<number>>();

function variant(op: ElementwiseOp): KernelVariant<number> {
  let v = variants.get(op);
  if (!v) {
    v = {
      name: `elementwise_${op}`,
      wgsl: fillTemplate(SOURCE, { EXPR: ELEMENTWISE_OPS[op].replaceAll(/\bo\b/g, "out[i]") }),
      workgroupSize: [64, 1, 1],
      dispatch: linearGrid,
    };
    variants.set(op, v);
  }
  return v;
}

/**
 * Records `out[i] = op(out[i], a[i], b[i], c[i])` for every element of `out`
 * into the open batch. Inputs must not be `out` itself (pass nothing for the
 * old value: the expressions read it as `o`).
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const w = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([1, 1, 1]));
 * const xht = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([2, 3, 4])); // X Hᵀ
 * const whht = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([1, 2, 8])); // W (H Hᵀ)
 * // W ← W ⊙ (X Hᵀ) / max(W (H Hᵀ), 1e-12)
 * elementwise("mu", w, { a: xht, b: whht, s: [0, 0, 1e-12] });
 * console.log(await w.toArray()); // Float32Array [2, 1.5, 0.5]
 * gpu.destroy();
 * ```
 */
export function elementwise(op: ElementwiseOp, out: GpuMatrix, args: ElementwiseArgs = {}): void {
  const inputs = [args.a, args.b, args.c];
  const any = inputs.find((m) => m) ?? null;
  for (const m of inputs) {
    if (m && m.buffer === out.buffer) {
      throw new RangeError(`Elementwise ${op}: an input is the output matrix; pass a copy`);
    }
  }
  const params = new ArrayBuffer(32);
  const u = new Uint32Array(params);
  const f = new Float32Array(params);
  u[0] = out.size;
  u[1] = args.u?.[0] ?? 1;
  u[2] = args.u?.[1] ?? 1;
  for (let j = 0; j < 4; j++) f[4 + j] = args.s?.[j] ?? 0;
  const gpu = out.gpu;
  const spare = any?.buffer ?? _spare(gpu.pool);
  const buffers = [out.buffer, ...inputs.map((m) => m?.buffer ?? spare)];
  gpu.dispatch(variant(op), out.size, buffers, params);
}

const spares = new WeakMap<object, GPUBuffer>();
function _spare(pool: { acquire(bytes: number): GPUBuffer }): GPUBuffer {
  let b = spares.get(pool);
  if (!b) {
    b = pool.acquire(16);
    spares.set(pool, b);
  }
  return b;
}
