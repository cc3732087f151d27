// Float64 CPU references and comparison helpers shared by the tests.

import { Gpu } from "../gpu/gpu.ts";

let shared: Promise<Gpu> | null = null;

/** One device for the whole test process (llvmpipe in CI). */
export function testGpu(): Promise<Gpu> {
  shared ??= Gpu.create({ log: null });
  return shared;
}

/** Float64 C = op(A) op(B); A, B row-major. */
export function refGemm(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = transA ? a[p * m + i] : a[i * k + p];
      if (av === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += av * (transB ? b[j * k + p] : b[p * n + j]);
    }
  }
  return c;
}

/**
 * Asserts |actual - expected| <= tol * scale elementwise, where scale is the
 * largest |expected| (at least 1e-30); on failure names the worst index and both values.
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  label = "",
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length}, expected ${expected.length}`);
  }
  let scale = 1e-30;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = -1;
  let worstErr = -1;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= worstErr)) {
      worstErr = Number.isNaN(err) ? Infinity : err;
      worst = i;
    }
  }
  if (worstErr > tol * scale) {
    throw new Error(
      `${label}: worst error at index ${worst}: got ${actual[worst]}, expected ${
        expected[worst]
      } ` +
        `(|err| ${worstErr.toExponential(3)} > ${tol} x scale ${scale.toExponential(3)})`,
    );
  }
}

/**
 * The symmetric k x k matrix Q diag(λ) Qᵀ (f32, row-major) with the Householder reflection
 * Q = I − 2 u uᵀ / uᵀu: known eigenvalues `lambda`, eigenvectors of both signs.
 */
export function withEigenvalues(lambda: ArrayLike<number>, u: ArrayLike<number>): Float32Array {
  const k = lambda.length;
  let uu = 0;
  for (let i = 0; i < k; i++) uu += u[i] * u[i];
  const q = (i: number, p: number) => (i === p ? 1 : 0) - (2 * u[i] * u[p]) / uu;
  const a = new Float32Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += q(i, p) * lambda[p] * q(j, p);
      a[i * k + j] = s;
    }
  }
  return a;
}
