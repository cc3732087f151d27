import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { minimizeLbfgs, minimizeLbfgsAsync } from "../../eval/lbfgs.ts";
import { assertClose } from "../_reference.ts";

Deno.test("minimizeLbfgs: Rosenbrock from (-1.2, 1) reaches (1, 1)", () => {
  const r = minimizeLbfgs(
    (x, g) => {
      const [a, b] = x;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    },
    new Float64Array([-1.2, 1]),
    { tol: 1e-9 },
  );
  ok(r.converged, `gradInf ${r.gradInf} after ${r.nIter}`);
  assertClose(r.x, [1, 1], 1e-7, "rosenbrock");
});

Deno.test("minimizeLbfgs: ill-conditioned quadratic, and maxIter gives converged false", () => {
  // f = ½ Σ dᵢ (xᵢ - i)², condition number 1e4.
  const n = 50;
  const d = Float64Array.from({ length: n }, (_, i) => 10 ** (4 * i / (n - 1)));
  const fg = (x: Float64Array, g: Float64Array) => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      g[i] = d[i] * (x[i] - i);
      v += 0.5 * d[i] * (x[i] - i) ** 2;
    }
    return v;
  };
  const r = minimizeLbfgs(fg, new Float64Array(n), { tol: 1e-8, maxIter: 2000 });
  ok(r.converged);
  assertClose(r.x, Float64Array.from({ length: n }, (_, i) => i), 1e-9, "quadratic");
  const short = minimizeLbfgs(fg, new Float64Array(n), { tol: 1e-8, maxIter: 3 });
  equal(short.nIter, 3);
  equal(short.converged, false);
  throws(() => minimizeLbfgs(fg, new Float64Array(n), { memory: 0 }), /option memory/);
});

Deno.test("minimizeLbfgsAsync: the same iterates as the synchronous driver", async () => {
  const fg = (x: Float64Array, g: Float64Array) => {
    g[0] = 2 * (x[0] - 3) + x[1];
    g[1] = 20 * (x[1] + 1) + x[0];
    return (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2 + x[0] * x[1];
  };
  const sync = minimizeLbfgs(fg, new Float64Array(2), { tol: 1e-10 });
  const async = await minimizeLbfgsAsync((x, g) => Promise.resolve(fg(x, g)), new Float64Array(2), {
    tol: 1e-10,
  });
  deepEqual(async, sync);
});

Deno.test("minimizeLbfgs: valueNoise lets an objective with rounding noise converge", () => {
  // A quadratic whose value carries a deterministic, non-smooth relative error of 1e-7 (as a
  // float32 sum would); the gradient is exact. Near the optimum the Armijo test only sees
  // the noise: without valueNoise the line search stalls.
  const n = 20;
  const d = Float64Array.from({ length: n }, (_, i) => 1 + i);
  const fg = (x: Float64Array, g: Float64Array) => {
    let v = 1;
    let h = 0;
    for (let i = 0; i < n; i++) {
      g[i] = d[i] * (x[i] - 1);
      v += 0.5 * d[i] * (x[i] - 1) ** 2;
      h += Math.sin(1e6 * x[i] * (i + 1));
    }
    return v * (1 + 1e-7 * Math.sin(1e3 * h));
  };
  const noisy = minimizeLbfgs(fg, new Float64Array(n), { tol: 1e-9, valueNoise: 1e-6 });
  ok(noisy.converged && noisy.nIter < 100, `gradInf ${noisy.gradInf} after ${noisy.nIter}`);
  assertClose(noisy.x, new Float64Array(n).fill(1), 1e-9, "noisy value");
  const strict = minimizeLbfgs(fg, new Float64Array(n), { tol: 1e-9, maxIter: 200 });
  equal(strict.converged, false);
  throws(() => minimizeLbfgs(fg, new Float64Array(n), { valueNoise: -1 }), /option valueNoise/);
});
