import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { logisticProbe } from "../../eval/logistic_probe.ts";
import { seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose } from "../_reference.ts";

/** Two Gaussian classes N(3 ± mu, 4 I) in f dimensions, class 1 with probability p1. */
function gaussians(n: number, f: number, mu: number[], seed: number, p1 = 0.5) {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const data = new Float32Array(n * f);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rand() < p1 ? 1 : 0;
    const sign = y[i] ? 1 : -1;
    for (let j = 0; j < f; j++) data[i * f + j] = 3 + sign * (mu[j] ?? 0) + 2 * normal();
  }
  return { x: { data, rows: n, cols: f }, y };
}

/** Plain float64 Newton solve of ½‖w‖² + C Σ log(1 + e^{-s_i (w·x_i + b)}) on standardized x. */
function newtonReference(x: Float32Array, y: Int32Array, n: number, f: number, c: number) {
  const mean = new Float64Array(f);
  const sd = new Float64Array(f);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] += x[i * f + j] / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) sd[j] += (x[i * f + j] - mean[j]) ** 2 / n;
  }
  const z = (i: number, j: number) => j === f ? 1 : (x[i * f + j] - mean[j]) / Math.sqrt(sd[j]);
  const p = f + 1; // weights then bias
  const theta = new Float64Array(p);
  for (let it = 0; it < 50; it++) {
    const g = new Float64Array(p);
    const h = new Float64Array(p * p);
    for (let a = 0; a < f; a++) {
      g[a] = theta[a];
      h[a * p + a] = 1;
    }
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let a = 0; a < p; a++) t += theta[a] * z(i, a);
      const s = 1 / (1 + Math.exp(-t));
      for (let a = 0; a < p; a++) {
        g[a] += c * (s - y[i]) * z(i, a);
        for (let b = 0; b < p; b++) h[a * p + b] += c * s * (1 - s) * z(i, a) * z(i, b);
      }
    }
    // Solve h d = g by Gaussian elimination with partial pivoting; theta -= d.
    const aug = Array.from({ length: p }, (_, r) => [...h.slice(r * p, r * p + p), g[r]]);
    for (let col = 0; col < p; col++) {
      let piv = col;
      for (let r = col + 1; r < p; r++) {
        if (Math.abs(aug[r][col]) > Math.abs(aug[piv][col])) piv = r;
      }
      [aug[col], aug[piv]] = [aug[piv], aug[col]];
      for (let r = col + 1; r < p; r++) {
        const m = aug[r][col] / aug[col][col];
        for (let q = col; q <= p; q++) aug[r][q] -= m * aug[col][q];
      }
    }
    const d = new Float64Array(p);
    for (let r = p - 1; r >= 0; r--) {
      let v = aug[r][p];
      for (let q = r + 1; q < p; q++) v -= aug[r][q] * d[q];
      d[r] = v / aug[r][r];
    }
    let step = 0;
    for (let a = 0; a < p; a++) {
      theta[a] -= d[a];
      step = Math.max(step, Math.abs(d[a]));
    }
    if (step < 1e-14) break;
  }
  return theta;
}

/** Standard normal CDF by the Abramowitz-Stegun 7.1.26 erf approximation (error < 2e-7). */
function phi(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 +
                t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

Deno.test("logisticProbe: binary coefficients match a float64 Newton fit", () => {
  const { x, y } = gaussians(80, 4, [1, 0.5, 0, -0.7], 3);
  for (const c of [0.05, 1]) {
    const r = logisticProbe({ x, y }, { x, y }, { c, tol: 1e-8 });
    ok(r.converged);
    const ref = newtonReference(x.data, y, 80, 4, c);
    // f32 storage of the standardized features limits agreement to about 1e-6.
    assertClose([...r.model.weights, ...r.model.bias], ref, 1e-6, `C=${c}`);
  }
});

Deno.test("logisticProbe: noisy classes reach the Bayes rate; separable ones 1", () => {
  // Means ±mu, sd 2: d' = ‖mu‖, Bayes accuracy Φ(d' / 2), AUC of the optimal score Φ(d' / √2).
  const mu = [1.2, -0.9, 0, 0, 0, 0];
  const bayes = phi(Math.hypot(...mu) / 2);
  const bayesAuc = phi(Math.hypot(...mu) / Math.SQRT2);
  const train = gaussians(3000, 6, mu, 1);
  const test = gaussians(3000, 6, mu, 2);
  const r = logisticProbe(train, test);
  ok(Math.abs(r.accuracy - bayes) < 0.025, `accuracy ${r.accuracy} vs Bayes ${bayes}`);
  ok(Math.abs(r.majorityAccuracy - 0.5) < 0.03);
  ok(Math.abs(r.auc! - bayesAuc) < 0.02, `auc ${r.auc} vs ${bayesAuc}`);
  equal(r.confusion.reduce((s, v) => s + v, 0), 3000);

  const sep = gaussians(400, 3, [8, 0, 0], 4);
  const sepTest = gaussians(400, 3, [8, 0, 0], 5);
  const s = logisticProbe(sep, sepTest, { c: 100 });
  equal(s.accuracy, 1);
  equal(s.auc, 1);
});

Deno.test("logisticProbe: majority baseline on an unbalanced attribute", () => {
  // 85% negatives and weak signal: accuracy alone looks good; the baseline shows it is not.
  const train = gaussians(1000, 3, [0.2, 0, 0], 6, 0.15);
  const test = gaussians(1000, 3, [0.2, 0, 0], 7, 0.15);
  const r = logisticProbe(train, test);
  equal(r.majorityClass, 0);
  ok(Math.abs(r.majorityAccuracy - 0.85) < 0.03);
  ok(r.accuracy >= r.majorityAccuracy - 0.01 && r.accuracy < r.majorityAccuracy + 0.03);
  ok(r.balancedAccuracy < 0.6, `balanced ${r.balancedAccuracy}`);
});

Deno.test("logisticProbe: multiclass softmax is at a stationary point and classifies blobs", () => {
  const rand = seededRandom(12);
  const normal = seededNormal(rand);
  const make = (n: number) => {
    const data = new Float32Array(n * 2);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = [10, 20, 30][i % 3];
      const ang = (2 * Math.PI * (i % 3)) / 3;
      data[2 * i] = 3 * Math.cos(ang) + normal();
      data[2 * i + 1] = 3 * Math.sin(ang) + normal();
    }
    return { x: { data, rows: n, cols: 2 }, y };
  };
  const train = make(301);
  const test = make(300);
  test.y[0] = 40; // a label never seen in training counts as wrong
  const c = 0.5;
  const r = logisticProbe(train, test, { c, tol: 1e-9 });
  deepEqual(r.labels, [10, 20, 30, 40]);
  ok(r.accuracy > 0.9, `accuracy ${r.accuracy}`);
  equal(r.auc, null);
  // Gradient of ½‖W‖² + C Σ (lse(z) - z_y) in float64 must vanish at the returned model.
  const { weights, bias, mean, scale } = r.model;
  const g = new Float64Array(9);
  for (let i = 0; i < 301; i++) {
    const xs = [0, 1].map((j) => (train.x.data[2 * i + j] - mean[j]) / scale[j]);
    const z = [0, 1, 2].map((a) => bias[a] + xs[0] * weights[a] + xs[1] * weights[3 + a]);
    const mx = Math.max(...z);
    const e = z.map((v) => Math.exp(v - mx));
    const sum = e[0] + e[1] + e[2];
    for (let a = 0; a < 3; a++) {
      const res = e[a] / sum - (train.y[i] === [10, 20, 30][a] ? 1 : 0);
      g[a] += c * res * xs[0];
      g[3 + a] += c * res * xs[1];
      g[6 + a] += c * res;
    }
  }
  for (let p = 0; p < 6; p++) g[p] += weights[p];
  ok(Math.max(...g.map(Math.abs)) < 1e-4, `gradient ${g}`);
});

Deno.test("logisticProbe: cross-validation scores every C and is deterministic", () => {
  const train = gaussians(200, 20, [0.8, 0.8], 8);
  const test = gaussians(200, 20, [0.8, 0.8], 9);
  const cv = { cs: [10, 0.01, 1], folds: 4, seed: 1 };
  const a = logisticProbe(train, test, { cv });
  const b = logisticProbe(train, test, { cv });
  deepEqual(a.cvScores!.map((s) => s.c), [0.01, 1, 10]);
  deepEqual(a.cvScores, b.cvScores);
  const best = Math.max(...a.cvScores!.map((s) => s.accuracy));
  equal(a.c, a.cvScores!.find((s) => s.accuracy === best)!.c);
  equal(a.accuracy, b.accuracy);
});

Deno.test("logisticProbe: bad input is named", () => {
  const x = { data: new Float32Array(4), rows: 4, cols: 1 };
  throws(() => logisticProbe({ x, y: [1, 1, 1, 1] }, { x, y: [1, 1, 1, 1] }), /two classes/);
  throws(() => logisticProbe({ x, y: [0, 1, 0] }, { x, y: [0, 1, 0, 1] }), /train.y has 3/);
  throws(() => logisticProbe({ x, y: [0, 1, 0, 1] }, { x, y: [0, 1, 0, 1] }, { c: 0 }), /option c/);
  throws(
    () => logisticProbe({ x, y: [0, 1, 0, 1] }, { x, y: [0, 1, 0, 1] }, { cv: { folds: 9 } }),
    /cv.folds/,
  );
});
