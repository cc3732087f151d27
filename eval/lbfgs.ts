/**
 * Limited-memory BFGS for smooth unconstrained minimization (float64, CPU).
 *
 * @module
 */

/** Value of the objective at `x`; writes its gradient into `grad`. */
export type ValueAndGradient = (x: Float64Array, grad: Float64Array) => number;

/** As {@linkcode ValueAndGradient}, computed asynchronously (e.g. on the GPU). */
export type AsyncValueAndGradient = (x: Float64Array, grad: Float64Array) => Promise<number>;

/** One objective evaluation L-BFGS asks for: the value at `x`, gradient into `grad`. */
export interface LbfgsRequest {
  /** Point to evaluate (do not keep it: it is reused). */
  x: Float64Array;
  /** Where the gradient goes. */
  grad: Float64Array;
}

/** Options of {@linkcode minimizeLbfgs}. */
export interface LbfgsOptions {
  /** Most iterations. Default 500. */
  maxIter?: number;
  /** Stop when the largest |gradient| entry is at most this. Default 1e-6. */
  tol?: number;
  /** Correction pairs kept. Default 10. */
  memory?: number;
  /**
   * Relative rounding noise of the objective's value: the line search treats two values
   * closer than this (relative) as equal and then takes a step that shrinks the
   * directional derivative. Default 1e-13 (float64 sums); about 1e-6 for float32 ones.
   */
  valueNoise?: number;
}

/** Result of {@linkcode minimizeLbfgs}. */
export interface LbfgsResult {
  /** The last iterate. */
  x: Float64Array;
  /** Objective at `x`. */
  value: number;
  /** Largest |gradient| entry at `x`. */
  gradInf: number;
  /** Iterations taken. */
  nIter: number;
  /** Whether the gradient tolerance was met (false after maxIter or a failed line search). */
  converged: boolean;
}

/**
 * Minimizes a smooth function from `x0` by L-BFGS (Nocedal, Math. Comp. 1980;
 * Liu & Nocedal 1989): the two-loop recursion with the initial scaling
 * sᵀy / yᵀy and a backtracking line search for the Armijo condition
 * (c₁ = 1e-4; where float64 can no longer resolve the decrease, a step that
 * shrinks the directional derivative is taken instead); pairs with
 * sᵀy <= 1e-12 ‖s‖‖y‖ are skipped, so the direction is always a descent
 * direction. Fully deterministic.
 *
 * @example
 * ```ts
 * // min (x0 - 3)² + 10 (x1 + 1)²
 * const r = minimizeLbfgs((x, g) => {
 *   g[0] = 2 * (x[0] - 3);
 *   g[1] = 20 * (x[1] + 1);
 *   return (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2;
 * }, new Float64Array(2));
 * console.log(r.x); // ≈ [3, -1]
 * ```
 */
export function minimizeLbfgs(
  fg: ValueAndGradient,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const steps = lbfgsSteps(x0, options);
  let r = steps.next();
  while (!r.done) r = steps.next(fg(r.value.x, r.value.grad));
  return r.value;
}

/**
 * {@linkcode minimizeLbfgs} with an asynchronous objective: the same iterates,
 * one awaited evaluation at a time.
 *
 * @example
 * ```ts
 * const r = await minimizeLbfgsAsync(async (x, g) => {
 *   g[0] = 2 * (x[0] - 3);
 *   return (x[0] - 3) ** 2;
 * }, new Float64Array(1));
 * console.log(r.x); // ≈ [3]
 * ```
 */
export async function minimizeLbfgsAsync(
  fg: AsyncValueAndGradient,
  x0: Float64Array,
  options: LbfgsOptions = {},
): Promise<LbfgsResult> {
  const steps = lbfgsSteps(x0, options);
  let r = steps.next();
  while (!r.done) r = steps.next(await fg(r.value.x, r.value.grad));
  return r.value;
}

/**
 * The L-BFGS iteration of {@linkcode minimizeLbfgs} as a generator: it yields
 * each evaluation it needs and is resumed with the objective's value (the
 * gradient written into the request's `grad`), so callers can drive it
 * synchronously, asynchronously, or from inside another generator.
 *
 * @example
 * ```ts
 * const steps = lbfgsSteps(new Float64Array(1), { tol: 1e-8 });
 * let r = steps.next();
 * while (!r.done) {
 *   const { x, grad } = r.value;
 *   grad[0] = 2 * (x[0] - 3);
 *   r = steps.next((x[0] - 3) ** 2);
 * }
 * console.log(r.value.x); // ≈ [3]
 * ```
 */
export function* lbfgsSteps(
  x0: Float64Array,
  options: LbfgsOptions = {},
): Generator<LbfgsRequest, LbfgsResult, number> {
  const { maxIter = 500, tol = 1e-6, memory = 10, valueNoise = 1e-13 } = options;
  if (!Number.isInteger(maxIter) || maxIter < 0) {
    throw new RangeError(`minimizeLbfgs: option maxIter is ${maxIter}; use an integer >= 0`);
  }
  if (!(tol >= 0)) throw new RangeError(`minimizeLbfgs: option tol is ${tol}; use a number >= 0`);
  if (!Number.isInteger(memory) || memory < 1) {
    throw new RangeError(`minimizeLbfgs: option memory is ${memory}; use an integer >= 1`);
  }
  if (!(valueNoise >= 0 && valueNoise < 1)) {
    throw new RangeError(
      `minimizeLbfgs: option valueNoise is ${valueNoise}; use a number in [0, 1)`,
    );
  }
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  let value = yield { x, grad: g };
  if (!Number.isFinite(value)) {
    throw new RangeError(`minimizeLbfgs: objective is ${value} at the start point`);
  }
  let gradInf = _infNorm(g);
  let nIter = 0;
  while (gradInf > tol && nIter < maxIter) {
    nIter++;
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let m = s.length - 1; m >= 0; m--) {
      alpha[m] = rho[m] * _dot(s[m], d);
      _axpy(-alpha[m], y[m], d);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = _dot(s[last], y[last]) / _dot(y[last], y[last]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const scale = 1 / Math.max(1, Math.sqrt(_dot(g, g)));
      for (let i = 0; i < n; i++) d[i] *= scale;
    }
    for (let m = 0; m < s.length; m++) {
      const beta = rho[m] * _dot(y[m], d);
      _axpy(alpha[m] - beta, s[m], d);
    }
    let slope = _dot(g, d);
    if (!(slope < 0)) {
      // Numerical loss of descent: restart from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i] / Math.max(1, Math.sqrt(_dot(g, g)));
      slope = _dot(g, d);
    }
    let step = 1;
    let accepted = false;
    let newValue = Infinity;
    for (let tries = 0; tries < 60 && !accepted; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      newValue = yield { x: xNew, grad: gNew };
      // Armijo; or, where f can no longer resolve the decrease (near the optimum, in
      // float64), a step that shrinks the directional derivative.
      const flat = Math.abs(newValue - value) <= valueNoise * Math.max(1, Math.abs(value));
      accepted = newValue <= value + 1e-4 * step * slope ||
        (flat && Math.abs(_dot(gNew, d)) < Math.abs(slope));
      if (!accepted) step *= 0.5;
    }
    if (!accepted) break; // no acceptable step: stuck
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i] - x[i];
      yk[i] = gNew[i] - g[i];
    }
    const sy = _dot(sk, yk);
    if (sy > 1e-12 * Math.sqrt(_dot(sk, sk) * _dot(yk, yk))) {
      if (s.length === memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    x.set(xNew);
    g.set(gNew);
    value = newValue;
    gradInf = _infNorm(g);
  }
  return { x, value, gradInf, nIter, converged: gradInf <= tol };
}

function _dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function _axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

function _infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
