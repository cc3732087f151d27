/**
 * The column blocks of gpu/spd_inverse.ts's dispatches: bounds on the loop steps one
 * invocation of spd_inverse.wgsl runs over a range of columns (factor stage) or rows (invert
 * stage), and the split of 0..k into blocks whose bound stays within a budget, so that each
 * dispatch stays under llvmpipe's per-invocation loop limit.
 *
 * @module
 */

const ceil16 = (n: number) => Math.ceil(n / 16);

/**
 * Loop steps (a bound over the 256 invocations) of factor stage columns [j0, j1): per column
 * 1 + n + n(n+1)/2 with n = ⌈(k−j−1)/16⌉ rows of the 16 x 16 split, whose inner loops run at
 * most 1, 2, ..., n times; plus the trace and the copy of A in the first block, plus the
 * column scaling at the end.
 *
 * @example
 * ```ts
 * console.log(factorSteps(1, 0, 1)); // 7
 * ```
 */
export function factorSteps(k: number, j0: number, j1: number): number {
  let steps = j0 === 0 ? k + ceil16(k) + ceil16(k) ** 2 : 0;
  for (let j = j0; j < j1; j++) {
    const n = ceil16(k - j - 1);
    steps += 1 + n + (n * (n + 1)) / 2;
  }
  return steps + Math.ceil(k / 256) * (1 + j1 - j0) + Math.ceil((j1 - j0) / 256);
}

/**
 * Loop steps (a bound over the 256 invocations) of invert stage rows [i0, i1):
 * 1 + n (1 + ⌈(i+1)/16⌉) per row with n = ⌈(k−i−1)/16⌉, the set-up in the first block, and
 * the scaling at the end.
 *
 * @example
 * ```ts
 * console.log(invertSteps(1, 0, 1)); // 5
 * ```
 */
export function invertSteps(k: number, i0: number, i1: number): number {
  let steps = i0 === 0 ? ceil16(k) + ceil16(k) ** 2 : 0;
  for (let i = i0; i < i1; i++) steps += 1 + ceil16(k - i - 1) * (1 + ceil16(i + 1));
  return steps + ceil16(i1 - i0) * (1 + ceil16(i1));
}

/**
 * Consecutive blocks [start, end) covering 0..k, each as long as `steps(k, start, end)` stays
 * within `budget`. Throws a RangeError when a single column already needs more.
 *
 * @example
 * ```ts
 * console.log(stepBlocks(300, 16384, factorSteps)); // [ [ 0, 99 ], [ 99, 300 ] ]
 * ```
 */
export function stepBlocks(
  k: number,
  budget: number,
  steps: (k: number, j0: number, j1: number) => number,
): [number, number][] {
  const out: [number, number][] = [];
  let j0 = 0;
  while (j0 < k) {
    let j1 = j0 + 1;
    if (steps(k, j0, j1) > budget) {
      throw new RangeError(`SPD inverse of k = ${k} needs more than ${budget} steps per column`);
    }
    while (j1 < k && steps(k, j0, j1 + 1) <= budget) j1++;
    out.push([j0, j1]);
    j0 = j1;
  }
  return out;
}

const plans = new Map<string, { factor: [number, number][]; invert: [number, number][] }>();

/**
 * The factor stage's and the invert stage's blocks ({@linkcode stepBlocks} of
 * {@linkcode factorSteps} and {@linkcode invertSteps}) for a k x k inverse within `budget`
 * loop steps per dispatch (Infinity: one block each). Cached per k and budget: the arrays
 * are shared, do not modify them.
 *
 * @example
 * ```ts
 * console.log(spdInversePlan(100, Infinity).factor); // [ [ 0, 100 ] ]
 * console.log(spdInversePlan(1024, 16384).invert.length); // 49
 * ```
 */
export function spdInversePlan(
  k: number,
  budget: number,
): { factor: [number, number][]; invert: [number, number][] } {
  const key = `${k}:${budget}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = {
      factor: stepBlocks(k, budget, factorSteps),
      invert: stepBlocks(k, budget, invertSteps),
    };
    plans.set(key, plan);
  }
  return plan;
}
