import { deepEqual, equal, throws } from "node:assert/strict";
import { attributeMeanImages } from "../../eval/attribute_mean_images.ts";

Deno.test("attributeMeanImages: with, without and difference per pixel", () => {
  // 2 pixels x 4 samples; samples 0 and 3 have the attribute.
  const x = { data: new Float32Array([1, 2, 3, 5, 10, 20, 30, 50]), rows: 2, cols: 4 };
  const r = attributeMeanImages(x, [true, false, false, true]);
  deepEqual(Array.from(r.means.data), [3, 2.5, 0.5, 30, 25, 5]);
  equal(r.withCount, 2);
  equal(r.withoutCount, 2);
  throws(() => attributeMeanImages(x, [0, 0, 0, 0]), /both groups/);
});
