import { equal, ok } from "node:assert/strict";
import { columnHoyerSparsity, hoyerSparsity } from "../../eval/hoyer_sparsity.ts";

Deno.test("hoyerSparsity: extremes, a hand value and scale invariance", () => {
  equal(hoyerSparsity([0, 0, -3, 0]), 1);
  equal(hoyerSparsity([2, -2, 2, 2]), 0);
  equal(hoyerSparsity([0, 0, 0]), 0);
  // x = (1, 1, 0, 0): (2 - 2 / √2) / (2 - 1) = 2 - √2.
  ok(Math.abs(hoyerSparsity([1, 1, 0, 0]) - (2 - Math.SQRT2)) < 1e-15);
  ok(Math.abs(hoyerSparsity([5, 5, 0, 0]) - hoyerSparsity([1, 1, 0, 0])) < 1e-15);
});

Deno.test("columnHoyerSparsity: per column of a row-major matrix", () => {
  const w = { data: new Float32Array([1, 0, 0, 1, 0, 1]), rows: 3, cols: 2 };
  const { perColumn, mean } = columnHoyerSparsity(w);
  equal(perColumn[0], 1);
  ok(Math.abs(perColumn[1] - hoyerSparsity([0, 1, 1])) < 1e-15);
  ok(Math.abs(mean - (perColumn[0] + perColumn[1]) / 2) < 1e-15);
});
