import { equal } from "node:assert/strict";
import { clusteringAccuracy } from "../../eval/clustering_accuracy.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";

Deno.test("clusteringAccuracy: 1 for any renaming of the clusters", () => {
  const rand = seededRandom(3);
  const truth = Array.from({ length: 200 }, () => Math.floor(rand() * 10));
  const rename = [7, 3, 9, 0, 1, 8, 2, 6, 5, 4].map((v) => v * 10 - 20);
  equal(clusteringAccuracy(truth, truth.map((t) => rename[t])), 1);
});

Deno.test("clusteringAccuracy: Manning et al. 3-cluster example is 12/17", () => {
  // IR book, Fig. 16.4: clusters {5x,1o}, {1x,4o,1d}, {2x,3d}; x=0, o=1, d=2.
  const truth = [0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 2, 0, 0, 2, 2, 2];
  const pred = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
  equal(clusteringAccuracy(truth, pred), 12 / 17);
});

Deno.test("clusteringAccuracy: counts only one cluster per class (not purity)", () => {
  // Two clusters both mostly class 0: purity would be 1, the one-to-one map gives 3/4.
  equal(clusteringAccuracy([0, 0, 0, 1], [0, 0, 1, 1]), 3 / 4);
  // More clusters than classes: the extra cluster is wrong.
  equal(clusteringAccuracy([0, 0, 1, 1], [0, 1, 2, 2]), 3 / 4);
  // Fewer clusters than classes.
  equal(clusteringAccuracy([0, 1, 2, 2], [5, 5, 5, 5]), 2 / 4);
});
