import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { resizeGray } from "../../data_prep/resize_gray.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose } from "../_reference.ts";

Deno.test("resizeGray by an integer factor is the block mean (float64 reference)", () => {
  const [w, h, f] = [12, 9, 3];
  const src = randomArray(seededRandom(1), w * h, 0, 255);
  const want = new Float64Array((w / f) * (h / f));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      want[Math.floor(y / f) * (w / f) + Math.floor(x / f)] += src[y * w + x] / (f * f);
    }
  }
  assertClose(resizeGray(src, w, h, { width: w / f, height: h / f }), want, 1e-6, "block mean");
});

Deno.test("resizeGray area downscale by a non-integer factor keeps the mean (178x218 -> 64x64)", () => {
  const src = randomArray(seededRandom(2), 178 * 218, 0, 255);
  const out = resizeGray(src, 178, 218, { width: 64, height: 64 });
  const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
  ok(Math.abs(mean(out) - mean(src)) < 1e-3, `${mean(out)} vs ${mean(src)}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of out) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  ok(lo >= 0 && hi <= 255, "averages stay in range");
});

Deno.test("resizeGray bilinear upscale reproduces a linear ramp inside and keeps constants", () => {
  const src = Float32Array.from({ length: 5 * 4 }, (_, i) => 3 * (i % 5) + 7 * Math.floor(i / 5));
  const out = resizeGray(src, 5, 4, { width: 15, height: 8 });
  // Output pixel centers map to source x = (i + 0.5) / 3 - 0.5, y = (j + 0.5) / 2 - 0.5.
  for (let j = 1; j < 7; j++) {
    for (let i = 1; i < 14; i++) {
      const x = (i + 0.5) / 3 - 0.5;
      const y = (j + 0.5) / 2 - 0.5;
      ok(Math.abs(out[j * 15 + i] - (3 * x + 7 * y)) < 1e-4, `ramp at ${i},${j}`);
    }
  }
  const c = resizeGray(new Float32Array(6).fill(42), 3, 2, { width: 7, height: 1 });
  deepEqual([...c], new Array(7).fill(42));
});

Deno.test("resizeGray same size copies; wrong length throws", () => {
  const src = randomArray(seededRandom(3), 6, 0, 1);
  const out = resizeGray(src, 3, 2, { width: 3, height: 2 });
  deepEqual([...out], [...src]);
  equal(out === src, false);
  throws(() => resizeGray(src, 4, 2, { width: 1, height: 1 }), /6 pixels, expected 4x2/);
});
