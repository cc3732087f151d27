import { deepEqual, equal, throws } from "node:assert/strict";
import { classificationScores, rocAuc } from "../../eval/classification_scores.ts";

Deno.test("classificationScores: accuracy, balanced accuracy and confusion", () => {
  const s = classificationScores([0, 0, 0, 1, 2, 2], [0, 0, 1, 1, 0, 2], [0, 1, 2, 3]);
  equal(s.accuracy, 4 / 6);
  // Recalls 2/3, 1, 1/2 over the present classes 0, 1, 2 (class 3 absent).
  equal(s.balancedAccuracy, (2 / 3 + 1 + 1 / 2) / 3);
  deepEqual(Array.from(s.confusion), [2, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
  throws(() => classificationScores([0, 5], [0, 0], [0, 1]), /label 5 at 1/);
});

Deno.test("rocAuc: pairs counted by hand, ties as one half, absent class null", () => {
  equal(rocAuc([false, false, true, true], [0.1, 0.4, 0.35, 0.8]), 0.75);
  // pos {1, 2}, neg {1, 0}: pairs (1>0) 1, (1=1) .5, (2>1) 1, (2>0) 1 -> 3.5 / 4.
  equal(rocAuc([true, true, false, false], [1, 2, 1, 0]), 3.5 / 4);
  equal(rocAuc([true, true], [1, 2]), null);
});
