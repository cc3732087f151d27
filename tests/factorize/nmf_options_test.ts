import { penalties, resolveNmfOptions } from "../../factorize/nmf_options.ts";
import type { NmfOptions } from "../../factorize/nmf_options.ts";
import { equal, throws } from "node:assert/strict";

Deno.test("resolveNmfOptions: invalid options give RangeError/TypeError naming the option", () => {
  const bad: [Record<string, unknown>, typeof RangeError | typeof TypeError, RegExp][] = [
    [{ rank: 0 }, RangeError, /Option rank/],
    [{ rank: 2.5 }, RangeError, /Option rank/],
    [{ rank: "3" }, TypeError, /Option rank/],
    [{ rank: 3, solver: "lbfgs" }, RangeError, /Option solver/],
    [{ rank: 3, betaLoss: "itakura" }, RangeError, /Option betaLoss/],
    [{ rank: 3, betaLoss: "kullback-leibler", solver: "cd" }, RangeError, /Option betaLoss/],
    [{ rank: 3, init: "svd" }, RangeError, /Option init/],
    [{ rank: 3, maxIter: -1 }, RangeError, /Option maxIter/],
    [{ rank: 3, tol: -1 }, RangeError, /Option tol/],
    [{ rank: 3, tol: NaN }, TypeError, /Option tol/],
    [{ rank: 3, alphaW: -0.1 }, RangeError, /Option alphaW/],
    [{ rank: 3, alphaH: "x" }, TypeError, /Option alphaH/],
    [{ rank: 3, l1Ratio: 2 }, RangeError, /Option l1Ratio/],
    [{ rank: 3, checkEvery: 0 }, RangeError, /Option checkEvery/],
    [{ rank: 3, seed: -1 }, RangeError, /Option seed/],
    [{ rank: 3, maxiter: 5 }, TypeError, /maxiter/],
  ];
  for (const [o, type, msg] of bad) {
    throws(() => resolveNmfOptions(o as unknown as NmfOptions), type);
    throws(() => resolveNmfOptions(o as unknown as NmfOptions), msg);
  }
});

Deno.test("resolveNmfOptions: defaults and scikit-learn's penalty scaling", () => {
  const o = resolveNmfOptions({ rank: 3 });
  equal(o.solver, "mu");
  equal(o.init, "nndsvda");
  equal(o.maxIter, 200);
  equal(resolveNmfOptions({ rank: 3, betaLoss: "kullback-leibler" }).init, "random");
  const p = penalties(resolveNmfOptions({ rank: 3, alphaW: 0.1, l1Ratio: 0.25 }), 100, 50);
  equal(p.l1W, 50 * 0.1 * 0.25);
  equal(p.l2W, 50 * 0.1 * 0.75);
  equal(p.l1H, 100 * 0.1 * 0.25);
  equal(p.l2H, 100 * 0.1 * 0.75);
});
