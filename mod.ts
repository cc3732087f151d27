/**
 * facet: parts-based and hierarchical image representations (NMF, semi-NMF,
 * Deep Semi-NMF, Deep WSF, GNMF) with hand-written WGSL kernels on WebGPU.
 *
 * Data orientation follows the papers: X is d x n (features x samples), and a
 * factorization is X ≈ W H with W d x k and H k x n.
 *
 * @example
 * ```ts
 * import { gemm, Gpu, GpuMatrix } from "./mod.ts";
 * const gpu = await Gpu.create();
 * const a = GpuMatrix.fromArray(gpu, 2, 2, new Float32Array([1, 2, 3, 4]));
 * const c = GpuMatrix.empty(gpu, 2, 2);
 * gemm(a, a, c);
 * console.log(await c.toArray()); // [7, 10, 15, 22]
 * ```
 *
 * @module
 */

export { type AdapterDescription, Gpu, type GpuOptions, type KernelVariant } from "./gpu/gpu.ts";
export { GpuMatrix } from "./gpu/gpu_matrix.ts";
export { chooseGemmVariant, gemm, type GemmOptions, type GemmVariantName } from "./gpu/gemm.ts";
export { randomArray, seededNormal, seededRandom } from "./factorize/seeded_random.ts";
