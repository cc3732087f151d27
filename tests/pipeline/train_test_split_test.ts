import { deepEqual, equal } from "node:assert/strict";
import { partitionSplit, stratifiedSplit } from "../../pipeline/train_test_split.ts";

Deno.test("stratified split: 30% of each class to test, seeded, disjoint and complete", () => {
  const strata = Int32Array.from({ length: 100 }, (_, i) => i % 10 < 4 ? 0 : i % 10 < 9 ? 1 : 2);
  const s = stratifiedSplit(strata, { testFraction: 0.3, seed: 3 });
  const count = (idx: Int32Array, c: number) =>
    Array.from(idx).filter((i) => strata[i] === c).length;
  deepEqual([count(s.test, 0), count(s.test, 1), count(s.test, 2)], [12, 15, 3]);
  equal(s.train.length + s.test.length, 100);
  equal(new Set([...s.train, ...s.test]).size, 100);
  deepEqual(stratifiedSplit(strata, { testFraction: 0.3, seed: 3 }).test, s.test);
  equal(
    JSON.stringify(stratifiedSplit(strata, { testFraction: 0.3, seed: 4 }).test) ===
      JSON.stringify(s.test),
    false,
  );
  // A class of two still gives one to each side; a singleton stays in train.
  const small = stratifiedSplit(Int32Array.from([0, 0, 1]), { testFraction: 0.1, seed: 0 });
  equal(small.test.length, 1);
  equal(small.train.includes(2), true);
});

Deno.test("partition split: train vs test, else val; null when a side is empty", () => {
  const s = partitionSplit(["train", "val", "test", "train", "test"])!;
  deepEqual(Array.from(s.train), [0, 3]);
  deepEqual(Array.from(s.test), [2, 4]);
  deepEqual(Array.from(partitionSplit(["train", "val", "train"])!.test), [1]);
  equal(partitionSplit(["test", "test"]), null);
});
