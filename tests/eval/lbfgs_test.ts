import { equal, ok, throws } from "node:assert/strict";
import { minimizeLbfgs } from "../../eval/lbfgs.ts";
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
