/**
 * Scores of a classifier's predictions: accuracy, balanced accuracy, confusion
 * matrix, and ROC AUC from scores.
 *
 * @module
 */

/** Result of {@linkcode classificationScores}. */
export interface ClassificationScores {
  /** Fraction of samples predicted right. */
  accuracy: number;
  /** Mean over the classes present in `truth` of their recall (scikit-learn's definition). */
  balancedAccuracy: number;
  /** classes.length² row-major counts: confusion[t * classes.length + p], t truth, p predicted. */
  confusion: Int32Array;
}

/**
 * Accuracy, balanced accuracy and the confusion matrix of `pred` against
 * `truth`, whose values must all be in `classes`.
 *
 * @example
 * ```ts
 * const s = classificationScores([0, 0, 0, 1], [0, 0, 0, 0], [0, 1]);
 * console.log(s.accuracy, s.balancedAccuracy, s.confusion); // 0.75 0.5 [3, 0, 1, 0]
 * ```
 */
export function classificationScores(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
  classes: readonly number[],
): ClassificationScores {
  const n = truth.length;
  if (pred.length !== n || n === 0) {
    throw new RangeError(`classificationScores: got ${n} truths and ${pred.length} predictions`);
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const k = classes.length;
  const confusion = new Int32Array(k * k);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const t = index.get(truth[i]);
    const p = index.get(pred[i]);
    if (t === undefined || p === undefined) {
      throw new RangeError(
        `classificationScores: label ${t === undefined ? truth[i] : pred[i]} at ${i} ` +
          "is not among the classes",
      );
    }
    confusion[t * k + p]++;
    if (t === p) hits++;
  }
  let recallSum = 0;
  let present = 0;
  for (let t = 0; t < k; t++) {
    let row = 0;
    for (let p = 0; p < k; p++) row += confusion[t * k + p];
    if (row > 0) {
      recallSum += confusion[t * k + t] / row;
      present++;
    }
  }
  return { accuracy: hits / n, balancedAccuracy: recallSum / present, confusion };
}

/**
 * Area under the ROC curve of `scores` for the binary truth (`positive[i]`
 * true for positives): the Mann-Whitney probability that a random positive
 * scores above a random negative, ties counting one half. Null when one class
 * is absent.
 *
 * @example
 * ```ts
 * console.log(rocAuc([false, false, true, true], [0.1, 0.4, 0.35, 0.8])); // 0.75
 * ```
 */
export function rocAuc(positive: ArrayLike<boolean>, scores: ArrayLike<number>): number | null {
  const n = positive.length;
  if (scores.length !== n) {
    throw new RangeError(`rocAuc: got ${n} labels and ${scores.length} scores`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let t = i; t <= j; t++) {
      if (positive[order[t]]) {
        rankSumPos += midRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
