/**
 * The linear probe of eval/logistic_probe.ts with its objective and gradient
 * computed on the GPU, for large training splits (CelebA: 160,000 x 512).
 *
 * @module
 */

import { gemm } from "../gpu/gemm.ts";
import type { Gpu, KernelVariant } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { linearGrid } from "../gpu/linear_grid.ts";
import logisticResidualWgsl from "./logistic_residual.wgsl" with { type: "text" };
import { reduce } from "../gpu/reduce.ts";
import type { LabeledFeatures, ProbeOptions, ProbeResult } from "./logistic_probe.ts";
import {
  cpuObjective,
  prepareProbe,
  type ProbePrep,
  type ProbeRequest,
  probeSteps,
} from "./probe_steps.ts";

/** Options of {@linkcode logisticProbeGpu}. */
export interface GpuProbeOptions extends ProbeOptions {
  /**
   * Device for the objective; without it the fit runs on the CPU. Pass it for hardware
   * GPUs; on llvmpipe (2 cores, bench/probe_bench.ts) the GPU path is 3x slower than the
   * CPU for a binary probe at 20,000 or 160,000 x 512 and 1.4x faster for 10 classes.
   */
  gpu?: Gpu;
  /**
   * Smallest n·f (training rows times features) fitted on the GPU; smaller splits use the
   * CPU objective, where the ~11 ms readback per evaluation would dominate. Default 2^20.
   */
  minGpuSize?: number;
  /** Training rows per GPU block (a multiple of 4). Default: as many as one binding holds. */
  blockRows?: number;
}

/** Largest class count the residual kernel handles (3 loops of k per invocation). */
const MAX_CLASSES = 16384;
const SOURCE = logisticResidualWgsl;
const RESIDUAL: KernelVariant<number> = {
  name: "logistic_residual",
  wgsl: SOURCE,
  workgroupSize: [64, 1, 1],
  dispatch: linearGrid,
};

/**
 * `logisticProbe` (same objective, options, result and, up to float32
 * rounding, the same fit) with each objective evaluation on the GPU when
 * `options.gpu` is given and n·f ≥ `minGpuSize`. The standardized training
 * features X̃ = [X, 1] (n x f+1, padded to multiples of 4) are uploaded once;
 * an evaluation is Z = X̃ W̃ (GEMM, n x K logits), one kernel for the per-row
 * loss and residual R = P − Y (sigmoid for two classes, softmax for more), the
 * gradient X̃ᵀ R (GEMM, the intercept's from the ones column) and the loss sum
 * (tree reduction), then one readback of (f+1)·K values; L-BFGS stays on the
 * CPU in float64, with the line search told the objective is float32
 * (valueNoise 1e-6). Cross-validation folds reuse the uploaded features through
 * 0/1 row weights. Deterministic: every GPU sum has a fixed order.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: new Float32Array([0, 1, 2, 3, 4, 5]), rows: 6, cols: 1 };
 * const y = [0, 0, 0, 1, 1, 1];
 * const r = await logisticProbeGpu({ x, y }, { x, y }, { gpu, minGpuSize: 0 });
 * console.log(r.accuracy); // 1
 * gpu.destroy();
 * ```
 */
export async function logisticProbeGpu(
  train: LabeledFeatures,
  test: LabeledFeatures,
  options: GpuProbeOptions = {},
): Promise<ProbeResult> {
  const prep = prepareProbe(train, test, options);
  const { gpu, minGpuSize = 2 ** 20, blockRows } = options;
  if (!(minGpuSize >= 0)) {
    throw new RangeError(`logisticProbeGpu: option minGpuSize is ${minGpuSize}; use a number >= 0`);
  }
  if (!gpu || prep.n * prep.f < minGpuSize) {
    const steps = probeSteps(prep, test, options, 1e-13);
    let r = steps.next();
    while (!r.done) r = steps.next(cpuObjective(prep, r.value));
    return r.value;
  }
  if (prep.k > MAX_CLASSES) {
    throw new RangeError(
      `logisticProbeGpu: ${prep.k} classes, over the GPU kernel's ${MAX_CLASSES}; ` +
        "fit without option gpu",
    );
  }
  const objective = new _GpuObjective(gpu, prep, blockRows);
  try {
    const steps = probeSteps(prep, test, options, 1e-6);
    let r = steps.next();
    while (!r.done) r = steps.next(await objective.evaluate(r.value));
    return r.value;
  } finally {
    objective.dispose();
  }
}

interface _Block {
  rows: number;
  start: number;
  x: GpuMatrix;
  y: GpuMatrix;
  z: GpuMatrix;
  r: GpuMatrix;
  loss: GpuMatrix;
}

/** The probe's objective on the GPU: features uploaded once, in row blocks. */
class _GpuObjective {
  readonly gpu: Gpu;
  readonly prep: ProbePrep;
  /** Padded widths: f+1 features (ones column last) and K outputs, multiples of 4. */
  readonly fa: number;
  readonly ka: number;
  readonly blocks: _Block[] = [];
  readonly w: GpuMatrix;
  readonly g: GpuMatrix;
  readonly readback: GPUBuffer;
  /** 0/1 row weights per block, per fitted row set (one per CV fold, and all rows). */
  readonly weights = new Map<Int32Array, GpuMatrix[]>();
  readonly wt: Float32Array;

  constructor(gpu: Gpu, prep: ProbePrep, blockRows?: number) {
    const { n, f, k, xs, yi } = prep;
    this.gpu = gpu;
    this.prep = prep;
    this.fa = _up4(f + 1);
    this.ka = _up4(k);
    const fitRows = 4 * Math.floor(gpu.maxBinding / (4 * this.fa * 4));
    const per = blockRows ?? Math.min(fitRows, _up4(n));
    if (!Number.isInteger(per) || per < 4 || per % 4 !== 0 || per > fitRows) {
      throw new RangeError(
        `logisticProbeGpu: option blockRows is ${blockRows}; use a multiple of 4 in 4..${fitRows}`,
      );
    }
    try {
      for (let start = 0; start < n; start += per) {
        const rows = Math.min(per, n - start);
        const ra = _up4(rows);
        const xb = new Float32Array(ra * this.fa);
        const yb = new Float32Array(ra);
        for (let i = 0; i < rows; i++) {
          xb.set(xs.subarray((start + i) * f, (start + i + 1) * f), i * this.fa);
          xb[i * this.fa + f] = 1;
          yb[i] = yi[start + i];
        }
        this.blocks.push({
          rows,
          start,
          x: GpuMatrix.fromArray(gpu, ra, this.fa, xb),
          y: GpuMatrix.fromArray(gpu, ra, 1, yb),
          z: GpuMatrix.empty(gpu, ra, this.ka),
          r: GpuMatrix.empty(gpu, ra, this.ka),
          loss: GpuMatrix.empty(gpu, ra, 1),
        });
      }
      this.wt = new Float32Array(this.fa * this.ka);
      this.w = GpuMatrix.empty(gpu, this.fa, this.ka);
      this.g = GpuMatrix.empty(gpu, this.fa, this.ka);
      this.readback = gpu.pool.acquire((this.fa * this.ka + this.blocks.length) * 4);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** f and its gradient as {@linkcode cpuObjective} computes them, in float32 on the GPU. */
  async evaluate(req: ProbeRequest): Promise<number> {
    const { f, k } = this.prep;
    const { fa, ka, gpu, wt } = this;
    const { x: theta, grad, rows, lambda } = req;
    const fk = f * k;
    for (let j = 0; j < f; j++) {
      for (let a = 0; a < k; a++) wt[j * ka + a] = theta[a * f + j];
    }
    for (let a = 0; a < k; a++) wt[f * ka + a] = theta[fk + a];
    this.w.write(wt);
    const weights = this.#weights(rows);
    const sums: GpuMatrix[] = [];
    const enc = () => gpu.encoder();
    try {
      this.blocks.forEach((b, bi) => {
        gemm(b.x, this.w, b.z);
        const params = new Uint32Array([b.x.rows, k, ka, 0]);
        gpu.dispatch(
          RESIDUAL,
          b.x.rows,
          [b.z.buffer, b.y.buffer, weights[bi].buffer, b.r.buffer, b.loss.buffer],
          params,
        );
        gemm(b.x, b.r, this.g, { transA: true, beta: bi === 0 ? 0 : 1 });
        sums.push(reduce("sum", b.loss));
      });
      const gBytes = fa * ka * 4;
      enc().copyBufferToBuffer(this.g.buffer, 0, this.readback, 0, gBytes);
      sums.forEach((s, bi) =>
        enc().copyBufferToBuffer(s.buffer, 0, this.readback, gBytes + 4 * bi, 4)
      );
      const out = new Float32Array(await gpu.read(this.readback, gBytes + 4 * sums.length));
      const m = rows.length;
      let loss = 0;
      for (let bi = 0; bi < sums.length; bi++) loss += out[fa * ka + bi];
      let reg = 0;
      for (let a = 0; a < k; a++) {
        for (let j = 0; j < f; j++) {
          const p = a * f + j;
          reg += theta[p] * theta[p];
          grad[p] = out[j * ka + a] / m + lambda * theta[p];
        }
        grad[fk + a] = out[f * ka + a] / m;
      }
      return loss / m + 0.5 * lambda * reg;
    } finally {
      for (const s of sums) s.dispose();
    }
  }

  /** The 0/1 weights of `rows` per block, uploaded on first use. */
  #weights(rows: Int32Array): GpuMatrix[] {
    let ws = this.weights.get(rows);
    if (ws) return ws;
    const all = new Float32Array(this.prep.n);
    for (const i of rows) all[i] = 1;
    ws = this.blocks.map((b) => {
      const wb = new Float32Array(b.x.rows);
      wb.set(all.subarray(b.start, b.start + b.rows));
      return GpuMatrix.fromArray(this.gpu, b.x.rows, 1, wb);
    });
    this.weights.set(rows, ws);
    return ws;
  }

  dispose(): void {
    for (const b of this.blocks) [b.x, b.y, b.z, b.r, b.loss].forEach((m) => m.dispose());
    for (const ws of this.weights.values()) ws.forEach((m) => m.dispose());
    this.w?.dispose();
    this.g?.dispose();
    if (this.readback) this.gpu.pool.release(this.readback);
  }
}

function _up4(v: number): number {
  return Math.ceil(v / 4) * 4;
}
