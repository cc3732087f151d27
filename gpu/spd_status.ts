/**
 * The device-side record of {@linkcode spdInverse}'s ridge decisions, read by the caller
 * whenever it reads anything else (its loss), and the message that reading turns into.
 *
 * @module
 */

import type { Gpu } from "./gpu.ts";
import { GpuMatrix } from "./gpu_matrix.ts";

/** Number of f32 values in an {@linkcode SpdStatus}. */
export const SPD_STATUS_LENGTH = 4;

/**
 * What the GPU SPD inverses recorded since the last reset, a 1 x 4 f32 matrix:
 * `[maxGrow, gaveUp, calls, maxRidge]` = the most x10 increases of the ridge one call
 * needed (maxGrow when it gave up), how many calls gave up (their inverse is all zeros),
 * how many calls ran, and the largest relative ridge used. Every value is a small integer
 * or the f32 ridge, so the f32 storage is exact for the counts.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * import { spdInverse } from "./spd_inverse.ts";
 * const gpu = await Gpu.create({ log: null });
 * const singular = GpuMatrix.fromArray(gpu, 2, 2, new Float32Array([1, 1, 1, 1]));
 * const status = SpdStatus.create(gpu);
 * spdInverse(singular, GpuMatrix.empty(gpu, 2, 2), { status });
 * console.log(spdStatusMessage(await status.matrix.toArray())); // "... ridge raised from 1e-10 to ..."
 * gpu.destroy();
 * ```
 */
export class SpdStatus {
  /** The 1 x 4 record; bind, copy or read it like any matrix. */
  readonly matrix: GpuMatrix;

  private constructor(matrix: GpuMatrix) {
    this.matrix = matrix;
  }

  /** A zeroed status on `gpu`. */
  static create(gpu: Gpu): SpdStatus {
    const m = GpuMatrix.fromArray(gpu, 1, SPD_STATUS_LENGTH, new Float32Array(SPD_STATUS_LENGTH));
    return new SpdStatus(m);
  }

  /** Records zeroing the record into the open batch (after the work recorded before it). */
  reset(): void {
    this.matrix.gpu.encoder().clearBuffer(this.matrix.buffer, 0, SPD_STATUS_LENGTH * 4);
  }

  /**
   * Records a copy of the 4 values into `dest` at element `offset`, so that one readback
   * of `dest` brings the status with, say, the loss stored beside it.
   */
  copyInto(dest: GpuMatrix, offset: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + SPD_STATUS_LENGTH > dest.size) {
      throw new RangeError(
        `Status offset ${offset} does not leave ${SPD_STATUS_LENGTH} values in the ` +
          `${dest.rows}x${dest.cols} destination: pass 0 <= offset <= ${dest.size - 4}`,
      );
    }
    this.matrix.gpu.encoder().copyBufferToBuffer(
      this.matrix.buffer,
      0,
      dest.buffer,
      offset * 4,
      SPD_STATUS_LENGTH * 4,
    );
  }

  /**
   * Reads the record and returns {@linkcode spdStatusMessage}'s text for it. Issue it
   * together with another read (e.g. `Promise.all([loss(), status.message()])`) so both
   * share one wait for the device.
   */
  async message(options: SpdStatusMessageOptions = {}): Promise<string | null> {
    return spdStatusMessage(await this.matrix.toArray(), options);
  }

  /** Returns the buffer to the pool. */
  dispose(): void {
    this.matrix.dispose();
  }
}

/** Options of {@linkcode spdStatusMessage}: the ones the inverses were recorded with. */
export interface SpdStatusMessageOptions {
  /** First relative ridge. Default 1e-10. */
  ridge?: number;
  /** Most x10 increases. Default 12. */
  maxGrow?: number;
}

/**
 * The relative ridge after `grow` increases from `first`, as solveSpd steps it (x10, and
 * from 0 to 1e-10): what the GPU inverse tries at attempt `grow` and what the status names.
 *
 * @example
 * ```ts
 * console.log(ridgeAfter(1e-10, 2), ridgeAfter(0, 1)); // ≈ 1e-8, 1e-10
 * ```
 */
export function ridgeAfter(first: number, grow: number): number {
  let rel = first;
  for (let g = 0; g < grow; g++) rel = rel > 0 ? rel * 10 : 1e-10;
  return rel;
}

/**
 * The message factorize/cholesky.ts's `solveSpd` would give for the record `values` (the
 * 4 status values, e.g. `(await status.matrix.toArray())` or a slice of a larger readback):
 * null when no ridge grew; "k x k system not positive definite: ridge raised from 1e-10 to
 * 1e-8 x mean diagonal" when one did; when a call gave up, the text solveSpd throws, plus
 * what the GPU did instead (the inverse was set to zeros).
 *
 * @example
 * ```ts
 * spdStatusMessage([2, 0, 5, 1e-8]);
 * // "k x k system not positive definite: ridge raised from 1e-10 to 1e-8 x mean diagonal"
 * ```
 */
export function spdStatusMessage(
  values: ArrayLike<number>,
  options: SpdStatusMessageOptions = {},
): string | null {
  if (values.length < SPD_STATUS_LENGTH) {
    throw new RangeError(
      `Status has ${values.length} values, expected ${SPD_STATUS_LENGTH}: pass the whole record`,
    );
  }
  const first = options.ridge ?? 1e-10;
  const maxGrow = options.maxGrow ?? 12;
  const grow = Math.round(values[0]);
  if (values[1] > 0) {
    // solveSpd's loop leaves rel one step past the last attempt and prints rel / 10.
    const past = ridgeAfter(first, maxGrow + 1);
    return `k x k system is not positive definite even with a ridge of ${past / 10} x mean ` +
      `diagonal: the factor has NaN or Inf entries (${values[1]} of ${values[2]} GPU inverses ` +
      `were set to zeros)`;
  }
  if (!(grow > 0)) return null;
  return `k x k system not positive definite: ridge raised from ` +
    `${first.toExponential(0)} to ${ridgeAfter(first, grow).toExponential(0)} x mean diagonal`;
}
