/**
 * Clustering accuracy under the best one-to-one map of clusters to classes.
 *
 * @module
 */

import { contingencyTable, type Labels } from "./contingency_table.ts";
import { hungarian } from "./hungarian.ts";

/**
 * ACC = max over one-to-one maps m from clusters to classes of
 * (1/n) Σᵢ [truth_i = m(pred_i)], the measure of Cai et al. (GNMF, TPAMI 2011)
 * and Xu et al. (SIGIR 2003). The best map is found with the Hungarian method
 * on the contingency table; with more clusters than classes the extra clusters
 * count as wrong.
 *
 * @example
 * ```ts
 * console.log(clusteringAccuracy([0, 0, 1, 1, 2], [2, 2, 0, 0, 1])); // 1
 * ```
 */
export function clusteringAccuracy(truth: Labels, pred: Labels): number {
  const { table, rowLabels, colLabels, n } = contingencyTable(truth, pred);
  const rows = colLabels.length; // clusters
  const cols = rowLabels.length; // classes
  let max = 0;
  for (const v of table) max = Math.max(max, v);
  const cost = new Float64Array(rows * cols);
  for (let c = 0; c < rows; c++) {
    for (let t = 0; t < cols; t++) cost[c * cols + t] = max - table[t * rows + c];
  }
  const map = hungarian(cost, { rows, cols });
  let hits = 0;
  for (let c = 0; c < rows; c++) if (map[c] >= 0) hits += table[map[c] * rows + c];
  return hits / n;
}
