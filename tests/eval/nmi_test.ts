import { equal, ok, throws } from "node:assert/strict";
import { nmi } from "../../eval/nmi.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";

Deno.test("nmi: 1 for identical labelings up to renaming", () => {
  const rand = seededRandom(9);
  const truth = Array.from({ length: 300 }, () => Math.floor(rand() * 7));
  ok(Math.abs(nmi(truth, truth.map((t) => 100 - 3 * t)) - 1) < 1e-12);
  for (const normalization of ["geometric", "max", "min"] as const) {
    ok(Math.abs(nmi(truth, truth, { normalization }) - 1) < 1e-12);
  }
});

Deno.test("nmi: 0 for exactly independent labelings", () => {
  // Every (u, v) pair equally often: the joint is the product of the marginals.
  const u: number[] = [];
  const v: number[] = [];
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 4; b++) for (let r = 0; r < 5; r++) u.push(a), v.push(b);
  }
  ok(Math.abs(nmi(u, v)) < 1e-12);
  equal(nmi([0, 0, 0, 0], [0, 1, 0, 1]), 0);
  equal(nmi([2, 2, 2], [5, 5, 5]), 1);
});

Deno.test("nmi: textbook 3x3 case (Manning et al., IR book, Fig. 16.4) by hand", () => {
  // Clusters w1 = {5x, 1o}, w2 = {1x, 4o, 1d}, w3 = {2x, 3d}; N = 17.
  const truth = [0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 2, 0, 0, 2, 2, 2];
  const pred = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
  const l = Math.log;
  const n = 17;
  // I = sum_kj (n_kj / N) log(N n_kj / (n_k n_j)); cluster sizes 6, 6, 5; class sizes 8, 5, 4.
  const mi = (5 / n) * l((n * 5) / (6 * 8)) + (1 / n) * l((n * 1) / (6 * 5)) +
    (1 / n) * l((n * 1) / (6 * 8)) + (4 / n) * l((n * 4) / (6 * 5)) +
    (1 / n) * l((n * 1) / (6 * 4)) + (2 / n) * l((n * 2) / (5 * 8)) +
    (3 / n) * l((n * 3) / (5 * 4));
  const hw = -(2 * (6 / n) * l(6 / n) + (5 / n) * l(5 / n));
  const hc = -((8 / n) * l(8 / n) + (5 / n) * l(5 / n) + (4 / n) * l(4 / n));
  const want = mi / ((hw + hc) / 2);
  ok(Math.abs(nmi(truth, pred) - want) < 1e-12, `${nmi(truth, pred)} vs ${want}`);
  equal(Math.round(want * 100) / 100, 0.36); // the book's printed value
  ok(Math.abs(nmi(truth, pred, { normalization: "max" }) - mi / Math.max(hw, hc)) < 1e-12);
  ok(Math.abs(nmi(truth, pred) - nmi(pred, truth)) < 1e-15);
});

Deno.test("nmi: bad input names the problem", () => {
  throws(() => nmi([0, 1], [0]), /differ in length/);
  throws(() => nmi([0, 1.5], [0, 1]), /integers/);
  // @ts-expect-error: testing a bad option value
  throws(() => nmi([0, 1], [0, 1], { normalization: "mean" }), /unknown/);
});
