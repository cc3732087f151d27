/**
 * The linear probe of eval/logistic_probe.ts as steps: validation and standardization of the
 * training split, then cross-validation, the final fit and the test scores, with every
 * objective evaluation handed to the caller, so that the CPU probe (logisticProbe) and the
 * GPU one (logisticProbeGpu) share everything but where f and its gradient are computed.
 *
 * @module
 */

import { seededRandom } from "../factorize/seeded_random.ts";
import { classificationScores, rocAuc } from "./classification_scores.ts";
import { checkMatrix, type DenseMatrix } from "./dense_matrix.ts";
import { type LbfgsRequest, lbfgsSteps } from "./lbfgs.ts";
import type {
  LabeledFeatures,
  ProbeCrossValidation,
  ProbeModel,
  ProbeOptions,
  ProbeResult,
} from "./logistic_probe.ts";

/** The validated, standardized training split of a probe, from {@linkcode prepareProbe}. */
export interface ProbePrep {
  /** n x f standardized training features. */
  xs: Float32Array;
  /** Training rows. */
  n: number;
  /** Features. */
  f: number;
  /** Class index per training row. */
  yi: Int32Array;
  /** Outputs: 1 when binary, else the number of classes. */
  k: number;
  /** Sorted training classes. */
  classes: number[];
  /** Training means of the features. */
  mean: Float64Array;
  /** Training standard deviations (1 where a feature is constant). */
  scale: Float64Array;
  /** Option `c` (default 1). */
  c: number;
  /** Option `maxIter` (default 1000). */
  maxIter: number;
  /** Option `tol` (default 1e-5). */
  tol: number;
}

/** One objective evaluation of a fit: L-BFGS's request plus the rows fitted and λ = 1/(C m). */
export interface ProbeRequest extends LbfgsRequest {
  /** The training rows of this fit (all of them, or a cross-validation fold's). */
  rows: Int32Array;
  /** λ = 1/(C m), m = rows.length. */
  lambda: number;
}

/** Checks the inputs and options of a probe and standardizes the training features. */
export function prepareProbe(
  train: LabeledFeatures,
  test: LabeledFeatures,
  options: ProbeOptions,
): ProbePrep {
  checkMatrix(train.x, "logisticProbe: train.x");
  checkMatrix(test.x, "logisticProbe: test.x");
  const f = train.x.cols;
  if (test.x.cols !== f) {
    throw new RangeError(`logisticProbe: test.x has ${test.x.cols} features, train.x has ${f}`);
  }
  for (const [name, set] of [["train", train], ["test", test]] as const) {
    if (set.y.length !== set.x.rows) {
      throw new RangeError(
        `logisticProbe: ${name}.y has ${set.y.length} labels for ${set.x.rows} rows of ${name}.x`,
      );
    }
    for (let i = 0; i < set.y.length; i++) {
      if (!Number.isInteger(set.y[i])) {
        throw new RangeError(`logisticProbe: ${name}.y[${i}] is ${set.y[i]}; labels are integers`);
      }
    }
  }
  const { c = 1, maxIter = 1000, tol = 1e-5 } = options;
  _checkC(c, "c");
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new RangeError(`logisticProbe: option maxIter is ${maxIter}; use an integer >= 1`);
  }
  const classes = [...new Set(Array.from(train.y))].sort((a, b) => a - b);
  if (classes.length < 2) {
    throw new RangeError(
      `logisticProbe: train.y has only class ${classes[0]}; a probe needs at least two classes`,
    );
  }
  const { xs, mean, scale } = _standardize(train.x);
  const classIndex = new Map(classes.map((v, i) => [v, i]));
  const yi = Int32Array.from(train.y, (v) => classIndex.get(v)!);
  const k = classes.length === 2 ? 1 : classes.length;
  return { xs, n: train.x.rows, f, yi, k, classes, mean, scale, c, maxIter, tol };
}

/**
 * The probe after {@linkcode prepareProbe}: cross-validation, the final fit and
 * the test scores, yielding every objective evaluation to the caller (CPU or
 * GPU) and resumed with its value. `valueNoise` goes to L-BFGS.
 */
export function* probeSteps(
  prep: ProbePrep,
  test: LabeledFeatures,
  options: ProbeOptions,
  valueNoise: number,
): Generator<ProbeRequest, ProbeResult, number> {
  const { yi, k: outputs, classes, mean, scale, c } = prep;
  const all = Int32Array.from({ length: prep.n }, (_, i) => i);

  let chosen = c;
  let cvScores: { c: number; accuracy: number }[] | null = null;
  if (options.cv) {
    cvScores = yield* _crossValidate(prep, options.cv, valueNoise);
    let best = cvScores[0];
    for (const s of cvScores) if (s.accuracy > best.accuracy) best = s;
    chosen = best.c;
  }
  const fit = yield* _fit(prep, all, chosen, null, valueNoise);
  const model: ProbeModel = { classes, weights: fit.weights, bias: fit.bias, mean, scale };

  const scores = _decision(model, test.x);
  const m = test.x.rows;
  const pred = new Array<number>(m);
  for (let i = 0; i < m; i++) {
    if (outputs === 1) {
      pred[i] = scores[i] > 0 ? classes[1] : classes[0];
    } else {
      let best = 0;
      for (let j = 1; j < outputs; j++) {
        if (scores[i * outputs + j] > scores[i * outputs + best]) best = j;
      }
      pred[i] = classes[best];
    }
  }
  const labels = [...new Set([...classes, ...Array.from(test.y)])].sort((a, b) => a - b);
  const scored = classificationScores(test.y, pred, labels);
  const counts = new Float64Array(classes.length);
  for (const v of yi) counts[v]++;
  let majority = 0;
  for (let j = 1; j < classes.length; j++) if (counts[j] > counts[majority]) majority = j;
  let majorityHits = 0;
  for (let i = 0; i < m; i++) if (test.y[i] === classes[majority]) majorityHits++;
  const auc = outputs === 1 ? rocAuc(Array.from(test.y, (v) => v === classes[1]), scores) : null;
  return {
    accuracy: scored.accuracy,
    balancedAccuracy: scored.balancedAccuracy,
    auc,
    majorityAccuracy: majorityHits / m,
    majorityClass: classes[majority],
    labels,
    confusion: scored.confusion,
    c: chosen,
    cvScores,
    nIter: fit.nIter,
    converged: fit.converged,
    loss: fit.value * chosen * prep.n,
    model,
  };
}

function _checkC(c: number, name: string): void {
  if (!(c > 0) || !Number.isFinite(c)) {
    throw new RangeError(`logisticProbe: option ${name} is ${c}; it must be a finite number > 0`);
  }
}

function _standardize(x: DenseMatrix) {
  const { rows: n, cols: f, data } = x;
  const mean = new Float64Array(f);
  const scale = new Float64Array(f);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] += data[i * f + j];
  for (let j = 0; j < f; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) scale[j] += (data[i * f + j] - mean[j]) ** 2;
  }
  for (let j = 0; j < f; j++) {
    const sd = Math.sqrt(scale[j] / n);
    scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
  }
  const xs = new Float32Array(n * f);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) xs[i * f + j] = (data[i * f + j] - mean[j]) / scale[j];
  }
  return { xs, mean, scale };
}

/** Decision scores (n x outputs) of a model on raw (unstandardized) features. */
function _decision(model: ProbeModel, x: DenseMatrix): Float64Array {
  const { weights, bias, mean, scale } = model;
  const f = x.cols;
  const k = bias.length;
  const out = new Float64Array(x.rows * k);
  const row = new Float64Array(f);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < f; j++) row[j] = (x.data[i * f + j] - mean[j]) / scale[j];
    for (let c = 0; c < k; c++) {
      let z = bias[c];
      for (let j = 0; j < f; j++) z += row[j] * weights[j * k + c];
      out[i * k + c] = z;
    }
  }
  return out;
}

interface _Fit {
  weights: Float64Array;
  bias: Float64Array;
  theta: Float64Array;
  value: number;
  nIter: number;
  converged: boolean;
}

/**
 * Minimizes f = F / (C m) = (1/m) Σ ℓ + ‖W‖² / (2 C m) over the rows `rows`
 * (m of them); θ = [Wᵀ (K x f row-major), b (K)].
 */
function* _fit(
  prep: ProbePrep,
  rows: Int32Array,
  c: number,
  start: Float64Array | null,
  valueNoise: number,
): Generator<ProbeRequest, _Fit, number> {
  const { f, k, maxIter, tol } = prep;
  const lambda = 1 / (c * rows.length);
  const fk = f * k;
  const steps = lbfgsSteps(start ?? new Float64Array(fk + k), { maxIter, tol, valueNoise });
  let step = steps.next();
  while (!step.done) step = steps.next(yield { ...step.value, rows, lambda });
  const result = step.value;
  const theta = result.x;
  const bias = theta.slice(fk);
  if (k > 1) {
    // Softmax is invariant to a common shift of the intercepts: centre them.
    let mean = 0;
    for (const b of bias) mean += b / k;
    for (let a = 0; a < k; a++) bias[a] -= mean;
  }
  const weights = new Float64Array(fk); // to f x K row-major
  for (let a = 0; a < k; a++) for (let j = 0; j < f; j++) weights[j * k + a] = theta[a * f + j];
  return {
    weights,
    bias,
    theta,
    value: result.value,
    nIter: result.nIter,
    converged: result.converged,
  };
}

/**
 * f = F / (C m) = (1/m) Σ ℓ + λ ‖W‖² / 2 and its gradient over `req.rows`, in
 * float64 on the CPU; θ = [Wᵀ (K x f row-major), b (K)].
 */
export function cpuObjective(prep: ProbePrep, req: ProbeRequest): number {
  const { xs, f, yi, k } = prep;
  const { x: theta, grad, rows, lambda } = req;
  const m = rows.length;
  const fk = f * k;
  const zb = new Float64Array(4 * k);
  grad.fill(0);
  let loss = 0;
  if (k === 1) {
    for (let r = 0; r < m; r++) {
      const o = rows[r] * f;
      let t = theta[f];
      for (let j = 0; j < f; j++) t += xs[o + j] * theta[j];
      const y = yi[rows[r]];
      // log(1 + e^t) - y t, stably; residual sigmoid(t) - y.
      loss += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - y * t;
      const res = (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t))) - y;
      for (let j = 0; j < f; j++) grad[j] += xs[o + j] * res;
      grad[f] += res;
    }
  } else {
    // θ holds W class-major (K x f), so the inner loops run over contiguous features;
    // rows go four at a time so each weight read serves four samples.
    for (let r0 = 0; r0 < m; r0 += 4) {
      const nb = Math.min(4, m - r0);
      const o0 = rows[r0] * f;
      const o1 = rows[r0 + (nb > 1 ? 1 : 0)] * f;
      const o2 = rows[r0 + (nb > 2 ? 2 : 0)] * f;
      const o3 = rows[r0 + (nb > 3 ? 3 : 0)] * f;
      for (let a = 0; a < k; a++) {
        const w = a * f;
        const b = theta[fk + a];
        let t0 = b, t1 = b, t2 = b, t3 = b;
        for (let j = 0; j < f; j++) {
          const wj = theta[w + j];
          t0 += xs[o0 + j] * wj;
          t1 += xs[o1 + j] * wj;
          t2 += xs[o2 + j] * wj;
          t3 += xs[o3 + j] * wj;
        }
        zb[a] = t0;
        zb[k + a] = t1;
        zb[2 * k + a] = t2;
        zb[3 * k + a] = t3;
      }
      for (let q = 0; q < 4; q++) {
        const zo = q * k;
        if (q >= nb) {
          for (let a = 0; a < k; a++) zb[zo + a] = 0; // padding rows contribute nothing
          continue;
        }
        let max = -Infinity;
        for (let a = 0; a < k; a++) max = Math.max(max, zb[zo + a]);
        let sum = 0;
        for (let a = 0; a < k; a++) {
          zb[zo + a] = Math.exp(zb[zo + a] - max);
          sum += zb[zo + a];
        }
        const y = yi[rows[r0 + q]];
        loss += Math.log(sum) - Math.log(zb[zo + y]);
        for (let a = 0; a < k; a++) zb[zo + a] /= sum;
        zb[zo + y] -= 1;
      }
      for (let a = 0; a < k; a++) {
        const w = a * f;
        const e0 = zb[a], e1 = zb[k + a], e2 = zb[2 * k + a], e3 = zb[3 * k + a];
        for (let j = 0; j < f; j++) {
          grad[w + j] += xs[o0 + j] * e0 + xs[o1 + j] * e1 + xs[o2 + j] * e2 + xs[o3 + j] * e3;
        }
        grad[fk + a] += e0 + e1 + e2 + e3;
      }
    }
  }
  let reg = 0;
  for (let p = 0; p < fk; p++) {
    reg += theta[p] * theta[p];
    grad[p] = grad[p] / m + lambda * theta[p];
  }
  for (let p = fk; p < fk + k; p++) grad[p] /= m;
  return loss / m + 0.5 * lambda * reg;
}

function* _crossValidate(
  prep: ProbePrep,
  cv: ProbeCrossValidation,
  valueNoise: number,
): Generator<ProbeRequest, { c: number; accuracy: number }[], number> {
  const { xs, f, yi, k } = prep;
  const { cs = [0.001, 0.01, 0.1, 1, 10, 100], folds = 5, seed = 0 } = cv;
  if (!Array.isArray(cs) || cs.length === 0) {
    throw new RangeError("logisticProbe: option cv.cs is empty; give at least one C");
  }
  cs.forEach((c, i) => _checkC(c, `cv.cs[${i}]`));
  const n = yi.length;
  if (!Number.isInteger(folds) || folds < 2 || folds > n) {
    throw new RangeError(`logisticProbe: option cv.folds is ${folds}; use an integer in 2..${n}`);
  }
  // Stratified: shuffle each class's rows, then deal them round-robin to the folds.
  const rand = seededRandom(seed);
  const fold = new Int32Array(n);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(yi[i]) ?? [];
    list.push(i);
    byClass.set(yi[i], list);
  }
  let deal = 0;
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(key)!;
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    for (const i of list) fold[i] = deal++ % folds;
  }
  const sorted = [...cs].sort((a, b) => a - b);
  const hits = new Float64Array(sorted.length);
  for (let q = 0; q < folds; q++) {
    const trainRows: number[] = [];
    const heldOut: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === q ? heldOut : trainRows).push(i);
    const rows = Int32Array.from(trainRows);
    let start: Float64Array | null = null;
    for (let ci = 0; ci < sorted.length; ci++) {
      // Warm start from the previous (stronger-regularized) C of this fold.
      const fit: _Fit = yield* _fit(prep, rows, sorted[ci], start, valueNoise);
      start = fit.theta;
      for (const i of heldOut) {
        let pred = 0;
        if (k === 1) {
          let t = fit.bias[0];
          for (let j = 0; j < f; j++) t += xs[i * f + j] * fit.weights[j];
          pred = t > 0 ? 1 : 0;
        } else {
          let best = -Infinity;
          for (let a = 0; a < k; a++) {
            let t = fit.bias[a];
            for (let j = 0; j < f; j++) t += xs[i * f + j] * fit.weights[j * k + a];
            if (t > best) {
              best = t;
              pred = a;
            }
          }
        }
        if (pred === yi[i]) hits[ci]++;
      }
    }
  }
  return sorted.map((c, ci) => ({ c, accuracy: hits[ci] / n }));
}
