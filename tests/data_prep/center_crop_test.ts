import { deepEqual, throws } from "node:assert/strict";
import { centerCrop } from "../../data_prep/center_crop.ts";

Deno.test("centerCrop takes the middle window (odd margins go right/bottom)", () => {
  const src = Float32Array.from({ length: 5 * 4 }, (_, i) => i); // 5 wide, 4 tall
  deepEqual([...centerCrop(src, 5, 4, { width: 2, height: 2 })], [6, 7, 11, 12]);
  deepEqual([...centerCrop(src, 5, 4, { width: 5, height: 1 })], [5, 6, 7, 8, 9]);
  throws(() => centerCrop(src, 5, 4, { width: 6, height: 1 }), /larger than the 5x4 image/);
});
