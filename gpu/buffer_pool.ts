/**
 * A pool of storage buffers keyed by size, so iterative solvers reuse their
 * temporaries instead of allocating every iteration.
 *
 * @module
 */

/** Usage flags of every pooled buffer: storage, and both copy directions. */
export const STORAGE_USAGE: number = 0x80 | 0x04 | 0x08; // STORAGE | COPY_SRC | COPY_DST

/**
 * Free buffers by byte size. `acquire` hands out a free buffer of exactly that
 * size or creates one; `release` returns it. Buffers are destroyed only by
 * {@linkcode BufferPool.clear}, since garbage collection does not free GPU memory.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const pool = new BufferPool(gpu.device);
 * const buf = pool.acquire(100); // sizes round up to a multiple of 16
 * pool.release(buf);
 * console.log(buf.size, pool.acquire(112) === buf); // 112 true: the free buffer is reused
 * pool.release(buf);
 * pool.clear();
 * console.log(pool.liveBuffers); // 0
 * gpu.destroy();
 * ```
 */
export class BufferPool {
  #device: GPUDevice;
  #free = new Map<number, GPUBuffer[]>();
  #live = 0;

  /** Makes an empty pool on `device`. */
  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** A storage buffer of `bytes` (rounded up to a multiple of 16, at least 16). */
  acquire(bytes: number): GPUBuffer {
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    const list = this.#free.get(size);
    const reused = list?.pop();
    if (reused) return reused;
    this.#live++;
    return this.#device.createBuffer({ size, usage: STORAGE_USAGE });
  }

  /** Gives `buffer` back for reuse; the caller must not use it afterwards. */
  release(buffer: GPUBuffer): void {
    const list = this.#free.get(buffer.size);
    if (list) list.push(buffer);
    else this.#free.set(buffer.size, [buffer]);
  }

  /** Number of buffers created and not destroyed (in use or free). */
  get liveBuffers(): number {
    return this.#live;
  }

  /** Destroys every free buffer. */
  clear(): void {
    for (const list of this.#free.values()) {
      for (const b of list) b.destroy();
      this.#live -= list.length;
    }
    this.#free.clear();
  }
}
