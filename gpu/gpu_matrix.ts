/**
 * A dense row-major f32 matrix in a GPU storage buffer.
 *
 * @module
 */

import type { Gpu } from "./gpu.ts";

/**
 * A rows x cols row-major f32 matrix on the GPU. Its buffer comes from the
 * device's pool and goes back on {@linkcode GpuMatrix.dispose}; garbage
 * collection never frees GPU memory, so dispose every matrix you create.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const a = GpuMatrix.fromArray(gpu, 2, 2, new Float32Array([1, 2, 3, 4]));
 * console.log(await a.toArray()); // Float32Array [1, 2, 3, 4]
 * a.dispose();
 * gpu.destroy();
 * ```
 */
export class GpuMatrix {
  /** The device it lives on. */
  readonly gpu: Gpu;
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  #buffer: GPUBuffer | null;

  private constructor(gpu: Gpu, rows: number, cols: number) {
    if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
      throw new RangeError(
        `Matrix shape ${rows}x${cols} is invalid: rows and cols must be integers >= 1`,
      );
    }
    const bytes = rows * cols * 4;
    if (bytes > gpu.maxBinding) {
      throw new RangeError(
        `Matrix ${rows}x${cols} needs ${bytes} bytes, over this adapter's storage binding limit of ` +
          `${gpu.maxBinding}: split it into row blocks`,
      );
    }
    this.gpu = gpu;
    this.rows = rows;
    this.cols = cols;
    this.#buffer = gpu.pool.acquire(bytes);
  }

  /** An uninitialized (possibly non-zero) rows x cols matrix. */
  static empty(gpu: Gpu, rows: number, cols: number): GpuMatrix {
    return new GpuMatrix(gpu, rows, cols);
  }

  /** A rows x cols matrix holding `data` (row-major, length rows * cols). */
  static fromArray(gpu: Gpu, rows: number, cols: number, data: Float32Array): GpuMatrix {
    if (data.length !== rows * cols) {
      throw new RangeError(
        `Matrix data has ${data.length} values, expected ${rows}x${cols} = ${rows * cols}`,
      );
    }
    const m = new GpuMatrix(gpu, rows, cols);
    m.write(data);
    return m;
  }

  /** Number of elements. */
  get size(): number {
    return this.rows * this.cols;
  }

  /** The storage buffer; throws after dispose. */
  get buffer(): GPUBuffer {
    if (!this.#buffer) throw new Error(`Matrix ${this.rows}x${this.cols} was used after dispose()`);
    return this.#buffer;
  }

  /** Overwrites the contents with `data` (length rows * cols). */
  write(data: Float32Array): void {
    if (data.length !== this.size) {
      throw new RangeError(`Matrix data has ${data.length} values, expected ${this.size}`);
    }
    this.gpu.write(this.buffer, data);
  }

  /** Copies the contents back to the CPU. */
  async toArray(): Promise<Float32Array> {
    return new Float32Array(await this.gpu.read(this.buffer, this.size * 4));
  }

  /** A new matrix with the same contents. */
  clone(): GpuMatrix {
    const m = new GpuMatrix(this.gpu, this.rows, this.cols);
    this.gpu.encoder().copyBufferToBuffer(this.buffer, 0, m.buffer, 0, this.size * 4);
    return m;
  }

  /**
   * Exchanges the contents of two matrices of one shape by exchanging their buffers (no copy):
   * a fused update written into a scratch matrix becomes the factor.
   */
  swap(other: GpuMatrix): void {
    if (other.rows !== this.rows || other.cols !== this.cols) {
      throw new RangeError(
        `Cannot swap matrix ${this.rows}x${this.cols} with ${other.rows}x${other.cols}: shapes differ`,
      );
    }
    const mine = this.buffer;
    this.#buffer = other.buffer;
    other.#buffer = mine;
  }

  /** Returns the buffer to the pool. Safe to call twice. */
  dispose(): void {
    if (this.#buffer) this.gpu.pool.release(this.#buffer);
    this.#buffer = null;
  }
}
