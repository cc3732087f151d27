import { deepEqual, equal, ok } from "node:assert/strict";
import { reconstructionGrid } from "../../eval/reconstruction_grid.ts";

Deno.test("reconstructionGrid: seeded distinct samples, original left of reconstruction", () => {
  const n = 10;
  // 1x1 "images": sample j has value j; its reconstruction j + 0.5.
  const x = { data: Float32Array.from({ length: n }, (_, j) => j), rows: 1, cols: n };
  const xHat = { data: x.data.map((v) => v + 0.5), rows: 1, cols: n };
  const a = reconstructionGrid(x, xHat, { height: 1, width: 1, count: 4, seed: 3, border: 0 });
  const b = reconstructionGrid(x, xHat, { height: 1, width: 1, count: 4, seed: 3, border: 0 });
  deepEqual(a.indices, b.indices);
  equal(new Set(a.indices).size, 4);
  ok(a.indices.every((v, i) => i === 0 || v > a.indices[i - 1]));
  deepEqual([a.image.width, a.image.height], [8, 1]);
  // Shared stretch over originals and reconstructions: min is the smallest original.
  const lo = a.indices[0];
  const hi = a.indices[3] + 0.5;
  const want = a.indices.flatMap((s) => [s, s + 0.5]).map((v) =>
    Math.round(((v - lo) / (hi - lo)) * 255)
  );
  deepEqual(Array.from(a.image.pixels), want);
});
