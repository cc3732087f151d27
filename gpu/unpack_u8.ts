/**
 * Bytes to floats on the GPU: u8 images travel to the device at a quarter of
 * the f32 size and are unpacked there.
 *
 * @module
 */

import type { Gpu, KernelVariant } from "./gpu.ts";
import { GpuMatrix } from "./gpu_matrix.ts";
import { linearGrid } from "./linear_grid.ts";
import unpackU8Wgsl from "./unpack_u8.wgsl" with { type: "text" };

const VARIANT: KernelVariant<number> = {
  name: "unpack_u8",
  wgsl: unpackU8Wgsl,
  workgroupSize: [64, 1, 1],
  dispatch: linearGrid,
};

/**
 * Uploads `bytes` (row-major rows x cols) and unpacks them on the GPU into a
 * rows x cols f32 matrix holding `scale * byte` (default scale 1/255: values in
 * [0, 1]). The packed upload is freed once the batch runs.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const m = unpackU8(gpu, 2, 2, new Uint8Array([0, 51, 102, 255]));
 * console.log(await m.toArray()); // [0, 0.2, 0.4, 1] up to f32 rounding
 * m.dispose();
 * gpu.destroy();
 * ```
 */
export function unpackU8(
  gpu: Gpu,
  rows: number,
  cols: number,
  bytes: Uint8Array,
  options: { scale?: number } = {},
): GpuMatrix {
  const n = rows * cols;
  if (bytes.length !== n) {
    throw new RangeError(`Byte data has ${bytes.length} values, expected ${rows}x${cols} = ${n}`);
  }
  const out = GpuMatrix.empty(gpu, rows, cols);
  const packedBytes = Math.ceil(n / 4) * 4;
  const packed = gpu.pool.acquire(packedBytes);
  if (n % 4 === 0) {
    gpu.write(packed, bytes);
  } else {
    const padded = new Uint8Array(packedBytes);
    padded.set(bytes);
    gpu.write(packed, padded);
  }
  const params = new ArrayBuffer(16);
  new Uint32Array(params)[0] = n;
  new Float32Array(params)[3] = options.scale ?? 1 / 255;
  gpu.dispatch(VARIANT, n, [packed, out.buffer], params);
  gpu.pool.release(packed);
  return out;
}
