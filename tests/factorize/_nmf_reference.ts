// Float64 CPU references of the NMF-family updates, and test data.

import { randomArray, seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { refGemm } from "../_reference.ts";

/** Float64 row-major matrix. */
export interface Mat {
  r: number;
  c: number;
  v: Float64Array;
}

export const mat = (r: number, c: number, v: ArrayLike<number>): Mat => ({
  r,
  c,
  v: Float64Array.from(v),
});
/** op(A) op(B) */
export function mul(a: Mat, b: Mat, ta = false, tb = false): Mat {
  const m = ta ? a.c : a.r;
  const k = ta ? a.r : a.c;
  const n = tb ? b.r : b.c;
  return { r: m, c: n, v: refGemm(a.v, b.v, m, k, n, ta, tb) };
}
export const map = (a: Mat, f: (x: number, i: number) => number): Mat => ({
  r: a.r,
  c: a.c,
  v: a.v.map(f),
});

/** Planted X = W H + noise (>= 0), W d x k, H k x n uniform [0, 1). */
export function planted(d: number, n: number, k: number, seed: number, noise = 0): Float32Array {
  const rand = seededRandom(seed);
  const w = randomArray(rand, d * k);
  const h = randomArray(rand, k * n);
  const x = refGemm(w, h, d, k, n);
  const normal = seededNormal(rand);
  return Float32Array.from(x, (v) => Math.max(0, v + noise * normal()));
}

/** Positive start factors for custom init. */
export function startFactors(d: number, n: number, k: number, seed: number) {
  const rand = seededRandom(seed);
  return {
    W: { rows: d, cols: k, data: randomArray(rand, d * k, 0.1, 1) },
    H: { rows: k, cols: n, data: randomArray(rand, k * n, 0.1, 1) },
  };
}

const FLOOR = 1e-12;

/** One Frobenius MU iteration, H then W, optional mask (0/1, X zeroed where 0). */
export function refMu(x: Mat, w: Mat, h: Mat, mask: Mat | null = null): [Mat, Mat] {
  const prod = (ww: Mat, hh: Mat) => {
    const p = mul(ww, hh);
    return mask ? map(p, (v, i) => v * mask.v[i]) : p;
  };
  const num = mul(w, x, true);
  const den = mask ? mul(w, prod(w, h), true) : mul(mul(w, w, true), h);
  h = map(h, (v, i) => (v * num.v[i]) / Math.max(den.v[i], FLOOR));
  const numW = mul(x, h, false, true);
  const denW = mask ? mul(prod(w, h), h, false, true) : mul(w, mul(h, h, false, true));
  w = map(w, (v, i) => (v * numW.v[i]) / Math.max(denW.v[i], FLOOR));
  return [w, h];
}

/** One KL MU iteration, H then W. */
export function refKl(x: Mat, w: Mat, h: Mat): [Mat, Mat] {
  const ratio = (ww: Mat, hh: Mat) =>
    map(mul(ww, hh), (v, i) => x.v[i] / Math.max(v, 1.1920929e-7));
  const numH = mul(w, ratio(w, h), true);
  const colSums = new Float64Array(w.c);
  for (let i = 0; i < w.r; i++) for (let l = 0; l < w.c; l++) colSums[l] += w.v[i * w.c + l];
  h = map(h, (v, i) => (v * numH.v[i]) / Math.max(colSums[Math.floor(i / h.c)], FLOOR));
  const numW = mul(ratio(w, h), h, false, true);
  const rowSums = new Float64Array(h.r);
  for (let l = 0; l < h.r; l++) for (let j = 0; j < h.c; j++) rowSums[l] += h.v[l * h.c + j];
  w = map(w, (v, i) => (v * numW.v[i]) / Math.max(rowSums[i % w.c], FLOOR));
  return [w, h];
}

/** Coordinate-wise HALS sweep of f (items x k layout via strides). */
function sweep(f: Mat, g: Mat, b: Mat, items: number, k: number, is: number, es: number): Mat {
  const v = Float64Array.from(f.v);
  for (let t = 0; t < items; t++) {
    for (let l = 0; l < k; l++) {
      const hess = g.v[l * k + l];
      if (hess <= 0) continue;
      let dot = 0;
      for (let r = 0; r < k; r++) dot += g.v[l * k + r] * v[t * is + r * es];
      const idx = t * is + l * es;
      v[idx] = Math.max(v[idx] - (dot - b.v[idx]) / hess, 0);
    }
  }
  return { r: f.r, c: f.c, v };
}

/** One HALS iteration, H then W. */
export function refHals(x: Mat, w: Mat, h: Mat): [Mat, Mat] {
  const k = w.c;
  h = sweep(h, mul(w, w, true), mul(w, x, true), h.c, k, 1, h.c);
  w = sweep(w, mul(h, h, false, true), mul(x, h, false, true), w.r, k, k, 1);
  return [w, h];
}

/** Largest eigenvalue of a symmetric matrix by power iteration. */
function lmax(g: Mat): number {
  let v = new Float64Array(g.r).fill(1);
  let lam = 0;
  for (let it = 0; it < 500; it++) {
    const u = mul(g, mat(g.r, 1, v)).v;
    lam = Math.hypot(...u);
    v = u.map((x) => x / lam);
  }
  return lam;
}

/** One projected gradient iteration, H then W, step 1 / λmax. */
export function refPgd(x: Mat, w: Mat, h: Mat): [Mat, Mat] {
  const g = mul(w, w, true);
  const gradH = mul(g, h);
  const wtx = mul(w, x, true);
  const lh = lmax(g);
  h = map(h, (v, i) => Math.max(v - (gradH.v[i] - wtx.v[i]) / lh, 0));
  const g2 = mul(h, h, false, true);
  const gradW = mul(w, g2);
  const xht = mul(x, h, false, true);
  const lw = lmax(g2);
  w = map(w, (v, i) => Math.max(v - (gradW.v[i] - xht.v[i]) / lw, 0));
  return [w, h];
}

/** Inverse of a small SPD matrix by Gauss-Jordan. */
export function inverse(a: Mat): Mat {
  const n = a.r;
  const m = Float64Array.from(a.v);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    for (let j = 0; j < n; j++) {
      [m[c * n + j], m[p * n + j]] = [m[p * n + j], m[c * n + j]];
      [inv[c * n + j], inv[p * n + j]] = [inv[p * n + j], inv[c * n + j]];
    }
    const d = m[c * n + c];
    for (let j = 0; j < n; j++) {
      m[c * n + j] /= d;
      inv[c * n + j] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let j = 0; j < n; j++) {
        m[r * n + j] -= f * m[c * n + j];
        inv[r * n + j] -= f * inv[c * n + j];
      }
    }
  }
  return { r: n, c: n, v: inv };
}

/** One ALS iteration, H then W. */
export function refAls(x: Mat, w: Mat, h: Mat): [Mat, Mat] {
  h = map(mul(inverse(mul(w, w, true)), mul(w, x, true)), (v) => Math.max(v, 0));
  w = map(mul(mul(x, h, false, true), inverse(mul(h, h, false, true))), (v) => Math.max(v, 0));
  return [w, h];
}

/** One semi-NMF iteration: Z then H. */
export function refSemi(x: Mat, h: Mat): [Mat, Mat] {
  const z = mul(mul(x, h, false, true), inverse(mul(h, h, false, true)));
  const ztx = mul(z, x, true);
  const ztz = mul(z, z, true);
  const negH = mul(map(ztz, (v) => Math.max(-v, 0)), h);
  const posH = mul(map(ztz, (v) => Math.max(v, 0)), h);
  h = map(h, (v, i) =>
    v * Math.sqrt(
      (Math.max(ztx.v[i], 0) + negH.v[i]) / Math.max(Math.max(-ztx.v[i], 0) + posH.v[i], FLOOR),
    ));
  return [z, h];
}

/** ‖X − WH‖_F in float64. */
export function frobError(x: Mat, w: Mat, h: Mat, mask: Mat | null = null): number {
  const p = mul(w, h);
  let s = 0;
  for (let i = 0; i < x.v.length; i++) s += (mask ? mask.v[i] : 1) * (x.v[i] - p.v[i]) ** 2;
  return Math.sqrt(s);
}
