import { linearGrid } from "../../gpu/linear_grid.ts";
import { deepEqual, ok } from "node:assert/strict";

Deno.test("linearGrid: covers n with 64-wide groups, rows of at most 32,768 groups", () => {
  deepEqual(linearGrid(1), [1, 1, 1]);
  deepEqual(linearGrid(64), [1, 1, 1]);
  deepEqual(linearGrid(65), [2, 1, 1]);
  deepEqual(linearGrid(32768 * 64), [32768, 1, 1]);
  deepEqual(linearGrid(32768 * 64 + 1), [32768, 2, 1]);
  for (const n of [5, 1000, 2_100_000, 10_000_000]) {
    const [x, y] = linearGrid(n);
    ok(x <= 32768 && y <= 65535 && x * y * 64 >= n && (y - 1) * x * 64 < n, `n=${n}`);
  }
});
