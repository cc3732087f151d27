/**
 * One Adam step on a GPU parameter, its moments updated in the same pass.
 *
 * @module
 */

import type { KernelVariant } from "./gpu.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import adamStepWgsl from "./adam_step.wgsl" with { type: "text" };
import { linearGrid } from "./linear_grid.ts";

/** Options of {@linkcode adamStep}. */
export interface AdamStepOptions {
  /** The gradient at the parameter (its shape). */
  grad: GpuMatrix;
  /** First moment, updated in place. */
  first: GpuMatrix;
  /** Second moment, updated in place. */
  second: GpuMatrix;
  /** Step size with the bias corrections folded in: lr √(1 − β₂ᵗ) / (1 − β₁ᵗ). */
  rate: number;
  /** β₁, the first moment's decay. */
  beta1: number;
  /** β₂, the second moment's decay. */
  beta2: number;
  /** ε added to √m₂. */
  epsilon: number;
}

const VARIANT: KernelVariant<number> = {
  name: "adam_step",
  wgsl: adamStepWgsl,
  workgroupSize: [64, 1, 1],
  dispatch: linearGrid,
};

/**
 * Records one Adam step (Kingma & Ba 2015, Algorithm 1, with the bias corrections in `rate`):
 * m₁ ← β₁ m₁ + (1 − β₁) g, m₂ ← β₂ m₂ + (1 − β₂) g², x ← x − rate · m₁ / (√m₂ + ε),
 * one pass over x, its moments and g (all of one shape).
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const m = (v: number[]) => GpuMatrix.fromArray(gpu, 1, v.length, new Float32Array(v));
 * const x = m([1, 1]);
 * const [first, second] = [m([0, 0]), m([0, 0])];
 * adamStep(x, { grad: m([2, -2]), first, second, rate: 0.1, beta1: 0.5, beta2: 0.75, epsilon: 0 });
 * console.log(await x.toArray()); // Float32Array [0.8, 1.2]: 1 ∓ 0.1 · 1 / √1
 * gpu.destroy();
 * ```
 */
export function adamStep(x: GpuMatrix, options: AdamStepOptions): void {
  const { grad, first, second } = options;
  for (const [name, m] of [["grad", grad], ["first", first], ["second", second]] as const) {
    if (m.rows !== x.rows || m.cols !== x.cols) {
      throw new RangeError(
        `Adam step: ${name} is ${m.rows}x${m.cols}, expected the parameter's ${x.rows}x${x.cols}`,
      );
    }
  }
  const params = new ArrayBuffer(32);
  new Uint32Array(params)[0] = x.size;
  new Float32Array(params).set([options.beta1, options.beta2, options.rate, options.epsilon], 4);
  x.gpu.dispatch(VARIANT, x.size, [x.buffer, first.buffer, second.buffer, grad.buffer], params);
}
