import { deepEqual, equal, throws } from "node:assert/strict";
import { hungarian } from "../../eval/hungarian.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";

function totalCost(cost: ArrayLike<number>, cols: number, map: Int32Array): number {
  let s = 0;
  map.forEach((j, i) => {
    if (j >= 0) s += cost[i * cols + j];
  });
  return s;
}

/** Smallest assignment cost by trying every injection of rows into columns (small sizes only). */
function bruteForce(cost: ArrayLike<number>, rows: number, cols: number): number {
  let best = Infinity;
  const used = new Array(cols).fill(false);
  const walk = (i: number, acc: number) => {
    if (i === rows) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < cols; j++) {
      if (used[j]) continue;
      used[j] = true;
      walk(i + 1, acc + cost[i * cols + j]);
      used[j] = false;
    }
  };
  walk(0, 0);
  return best;
}

Deno.test("hungarian: recovers known permutations from a permuted identity-like cost", () => {
  const rand = seededRandom(11);
  for (const n of [1, 2, 5, 17, 40]) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    // Cost 0 on the permutation, 1 + noise elsewhere: the permutation is the unique optimum.
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) cost[i * n + j] = j === perm[i] ? 0 : 1 + rand();
    }
    deepEqual(Array.from(hungarian(cost, { rows: n, cols: n })), perm);
  }
});

Deno.test("hungarian: optimal on random square and rectangular costs (brute force)", () => {
  const rand = seededRandom(5);
  for (const [rows, cols] of [[3, 3], [4, 6], [6, 4], [6, 6], [1, 5], [5, 1], [7, 7]]) {
    for (let trial = 0; trial < 5; trial++) {
      // Integer costs make ties likely, which exercises the zero-delta paths.
      const cost = Array.from({ length: rows * cols }, () => Math.floor(rand() * 10) - 3);
      const map = hungarian(cost, { rows, cols });
      const assigned = Array.from(map).filter((j) => j >= 0);
      equal(assigned.length, Math.min(rows, cols));
      equal(new Set(assigned).size, assigned.length);
      if (rows <= cols) {
        equal(totalCost(cost, cols, map), bruteForce(cost, rows, cols));
      } else {
        const t = new Array(rows * cols);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) t[j * rows + i] = cost[i * cols + j];
        }
        equal(totalCost(cost, cols, map), bruteForce(t, cols, rows));
      }
    }
  }
});

Deno.test("hungarian: the documented example and bad input", () => {
  deepEqual(Array.from(hungarian([4, 1, 3, 2, 0, 5, 3, 2, 2], { rows: 3, cols: 3 })), [1, 0, 2]);
  throws(() => hungarian([1, 2, 3], { rows: 2, cols: 2 }), /expected 4/);
  throws(() => hungarian([1, NaN, 3, 4], { rows: 2, cols: 2 }), /finite/);
});
