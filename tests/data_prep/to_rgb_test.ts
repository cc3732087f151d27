import { deepEqual } from "node:assert/strict";
import { toRgb } from "../../data_prep/to_rgb.ts";

Deno.test("toRgb: gray replicated, RGB kept, alpha dropped", () => {
  const px = (channels: 1 | 3 | 4, data: number[]) =>
    Array.from(toRgb({ width: 2, height: 1, channels, data: new Uint8Array(data) }));
  deepEqual(px(1, [7, 9]), [7, 7, 7, 9, 9, 9]);
  deepEqual(px(3, [1, 2, 3, 4, 5, 6]), [1, 2, 3, 4, 5, 6]);
  deepEqual(px(4, [1, 2, 3, 255, 4, 5, 6, 0]), [1, 2, 3, 4, 5, 6]);
});
