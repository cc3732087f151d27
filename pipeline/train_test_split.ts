/**
 * The train/test split of a run's probes: the dataset's own partition when it
 * has one, else a seeded split stratified by a label.
 *
 * @module
 */

import { seededRandom } from "../factorize/seeded_random.ts";

/** Sample indices of the two sides, ascending. */
export interface TrainTestSplit {
  train: Int32Array;
  test: Int32Array;
  /** How it was made, for the report. */
  description: string;
}

/**
 * Splits samples 0..n-1 so that each class of `strata` (one integer per
 * sample) sends round(testFraction · its size) samples to the test side
 * (at least one when the class has two or more), picked by a seeded shuffle.
 *
 * @example
 * ```ts
 * const s = stratifiedSplit(Int32Array.from([0, 0, 0, 1, 1, 1]), { testFraction: 1 / 3, seed: 0 });
 * console.log(s.train, s.test); // Int32Array [0, 2, 3, 5] Int32Array [1, 4]: one of each class
 * ```
 */
export function stratifiedSplit(
  strata: ArrayLike<number>,
  options: { testFraction: number; seed: number },
): TrainTestSplit {
  const { testFraction, seed } = options;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`Option testFraction must be between 0 and 1, got ${testFraction}`);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < strata.length; i++) {
    const g = groups.get(strata[i]);
    if (g) g.push(i);
    else groups.set(strata[i], [i]);
  }
  const rand = seededRandom(seed);
  const isTest = new Uint8Array(strata.length);
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const members = groups.get(key)!;
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    let t = Math.round(testFraction * members.length);
    if (members.length >= 2) t = Math.min(Math.max(t, 1), members.length - 1);
    else t = 0;
    for (let i = 0; i < t; i++) isTest[members[i]] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  isTest.forEach((v, i) => (v ? test : train).push(i));
  return {
    train: Int32Array.from(train),
    test: Int32Array.from(test),
    description:
      `seeded stratified split (seed ${seed}), ${train.length} train / ${test.length} test`,
  };
}

/**
 * The split given by a partition column (values "train", "val", "test"):
 * train is "train"; test is "test", or "val" when there is no test side.
 * Returns null when fewer than two samples land on the train side or none on
 * the test side.
 *
 * @example
 * ```ts
 * const s = partitionSplit(["train", "train", "val", "test"]);
 * console.log(s?.train, s?.test); // Int32Array [0, 1] Int32Array [3]: "val" is used without "test"
 * console.log(partitionSplit(["train", "test"])); // null: one train sample
 * ```
 */
export function partitionSplit(partition: readonly string[]): TrainTestSplit | null {
  const side = partition.includes("test") ? "test" : "val";
  const train: number[] = [];
  const test: number[] = [];
  partition.forEach((p, i) => {
    if (p === "train") train.push(i);
    else if (p === side) test.push(i);
  });
  if (train.length < 2 || test.length < 1) return null;
  return {
    train: Int32Array.from(train),
    test: Int32Array.from(test),
    description: `dataset partition: ${train.length} train / ${test.length} ${side}`,
  };
}
