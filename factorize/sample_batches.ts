/**
 * The order of mini-batches over samples: each epoch a seeded shuffle of all n
 * samples cut into batches of `size`, the last one topped up from the start of
 * the same shuffle, so every batch holds exactly `size` distinct samples and
 * every epoch visits every sample. Batch t is a function of (n, size, seed, t)
 * alone, so a resumed fit that knows its step count draws the same batches.
 *
 * @module
 */

import { seededRandom } from "./seeded_random.ts";

/**
 * A function from the step t (0, 1, …) to the samples of its batch (sorted,
 * `size` distinct indices below `n`); ⌈n / size⌉ steps make an epoch.
 *
 * @example
 * ```ts
 * const batch = sampleBatches(10, 4, { seed: 1 });
 * const epoch = [batch(0), batch(1), batch(2)]; // ⌈10 / 4⌉ = 3 batches of 4
 * console.log(new Set(epoch.flatMap((b) => [...b])).size); // 10: every sample, some twice
 * console.log(batch(3).length, batch(0).join() === sampleBatches(10, 4, { seed: 1 })(0).join()); // 4 true
 * ```
 */
export function sampleBatches(
  n: number,
  size: number,
  options: { seed: number },
): (t: number) => Uint32Array {
  if (!(Number.isInteger(size) && size >= 1 && size <= n)) {
    throw new RangeError(`Batch size ${size} must be a whole number from 1 to n = ${n}`);
  }
  const perEpoch = Math.ceil(n / size);
  let epoch = -1;
  let order = new Uint32Array(n);
  return (t: number) => {
    const e = Math.floor(t / perEpoch);
    if (e !== epoch) {
      // Fisher-Yates with a generator seeded by (seed, epoch)
      const rand = seededRandom(Math.imul(options.seed + 1, 0x9e3779b1) ^ e);
      order = Uint32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      epoch = e;
    }
    const start = (t % perEpoch) * size;
    const batch = new Uint32Array(size);
    const tail = Math.min(size, n - start);
    batch.set(order.subarray(start, start + tail));
    batch.set(order.subarray(0, size - tail), tail);
    return batch.sort();
  };
}
