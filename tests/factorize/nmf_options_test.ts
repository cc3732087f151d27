import { penalties, resolveNmfOptions } from "../../factorize/nmf_options.ts";
import type { NmfOptions } from "../../factorize/nmf_options.ts";
import { equal, throws } from "node:assert/strict";
import { OptionError } from "../../factorize/option_schema.ts";

Deno.test("resolveNmfOptions: invalid options give an OptionError naming the option", () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ rank: 0 }, /^Option rank must be an integer >= 1, got 0$/],
    [{ rank: 2.5 }, /^Option rank must be an integer >= 1, got 2.5$/],
    [{ rank: "3" }, /^Option rank must be an integer >= 1, got "3"$/],
    [{}, /^Option rank is required: an integer >= 1\. Number of components/],
    [{ rank: 3, solver: "lbfgs" }, /^Option solver must be one of mu, cd, pgd, als, got "lbfgs"/],
    [{ rank: 3, betaLoss: "itakura" }, /^Option betaLoss must be one of frobenius, kullback/],
    [{ rank: 3, betaLoss: "kullback-leibler", solver: "cd" }, /betaLoss .* needs solver "mu"/],
    [{ rank: 3, init: "svd" }, /^Option init must be one of random, nndsvd, nndsvda, nndsvdar/],
    [{ rank: 3, init: "custom" }, /^Option init "custom" needs both W and H$/],
    [{ rank: 3, solver: "als", mask: new Uint8Array(4) }, /^Option mask needs solver "mu"/],
    [{ rank: 3, maxIter: -1 }, /^Option maxIter must be an integer >= 0, got -1$/],
    [{ rank: 3, tol: -1 }, /^Option tol must be a number >= 0/],
    [{ rank: 3, tol: NaN }, /^Option tol must be a number >= 0, got NaN$/],
    [{ rank: 3, alphaW: -0.1 }, /^Option alphaW/],
    [{ rank: 3, alphaH: "x" }, /^Option alphaH must be a number >= 0 or "same", got "x"$/],
    [{ rank: 3, l1Ratio: 2 }, /^Option l1Ratio must be a number in \[0, 1\], got 2$/],
    [{ rank: 3, checkEvery: 0 }, /^Option checkEvery must be an integer >= 1/],
    [{ rank: 3, seed: -1 }, /^Option seed must be an integer in \[0, 4294967295\]/],
    [{ rank: 3, maxiter: 5 }, /^Unknown NMF option maxiter \(known: rank, solver, betaLoss/],
    [{ rank: 3, W: 5 }, /^Option W must be an object, got 5$/],
  ];
  for (const [o, msg] of bad) {
    throws(() => resolveNmfOptions(o as unknown as NmfOptions), (e: Error) => {
      equal(e instanceof OptionError, true, msg.source);
      return msg.test(e.message);
    }, msg.source);
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
