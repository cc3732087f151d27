/**
 * Counts of label pairs, the input of clustering accuracy and NMI.
 *
 * @module
 */

/** Integer labels, one per sample (any integer values; they need not be 0..k-1). */
export type Labels = ArrayLike<number>;

/** Result of {@linkcode contingencyTable}. */
export interface ContingencyTable {
  /** Row-major counts: table[r * cols + c] = #{i : truth_i = rowLabels[r], pred_i = colLabels[c]}. */
  table: Float64Array;
  /** Sorted distinct values of `truth`. */
  rowLabels: number[];
  /** Sorted distinct values of `pred`. */
  colLabels: number[];
  /** Number of samples. */
  n: number;
}

/**
 * The contingency table of two labelings of the same samples.
 *
 * @example
 * ```ts
 * const t = contingencyTable([0, 0, 1], [5, 7, 7]);
 * console.log(t.table); // [1, 1, 0, 1] (rows truth 0, 1; columns pred 5, 7)
 * ```
 */
export function contingencyTable(truth: Labels, pred: Labels): ContingencyTable {
  const n = truth.length;
  if (pred.length !== n) {
    throw new RangeError(`Labelings differ in length: truth has ${n}, pred has ${pred.length}`);
  }
  if (n === 0) throw new RangeError("Labelings are empty: give at least one sample");
  const rowIndex = _index(truth, "truth");
  const colIndex = _index(pred, "pred");
  const rows = rowIndex.size;
  const cols = colIndex.size;
  const table = new Float64Array(rows * cols);
  for (let i = 0; i < n; i++) table[rowIndex.get(truth[i])! * cols + colIndex.get(pred[i])!]++;
  return { table, rowLabels: [...rowIndex.keys()], colLabels: [...colIndex.keys()], n };
}

function _index(labels: Labels, name: string): Map<number, number> {
  const set = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v)) {
      throw new RangeError(`${name}[${i}] is ${v}: labels must be integers`);
    }
    set.add(v);
  }
  const sorted = [...set].sort((a, b) => a - b);
  return new Map(sorted.map((v, i) => [v, i]));
}
