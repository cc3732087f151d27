/**
 * The dispatch of kernels with one invocation per element of a long vector: 64-wide
 * workgroups in rows of at most 32,768, so that n may exceed the 65,535 workgroups
 * allowed per dimension. The kernel's element is
 * `gid.x + gid.y * num_workgroups.x * 64u`.
 *
 * @module
 */

const MAX_GROUPS_X = 32768;

/**
 * Workgroup counts [x, y, 1] covering `n` invocations of a 64-wide kernel.
 *
 * @example
 * ```ts
 * console.log(linearGrid(100)); // [2, 1, 1]
 * console.log(linearGrid(3_000_000)); // [32768, 2, 1]
 * ```
 */
export function linearGrid(n: number): [number, number, number] {
  const groups = Math.ceil(n / 64);
  const x = Math.min(groups, MAX_GROUPS_X);
  return [x, Math.ceil(groups / x), 1];
}
