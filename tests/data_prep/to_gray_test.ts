import { deepEqual } from "node:assert/strict";
import { toGray } from "../../data_prep/to_gray.ts";
import { assertClose } from "../_reference.ts";
import { randomPixels } from "./_fixtures.ts";

Deno.test("toGray applies BT.601 luma and ignores alpha", () => {
  const n = 37;
  const data = randomPixels(n * 4, 5);
  const want = Array.from(
    { length: n },
    (_, i) => 0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2],
  );
  assertClose(toGray({ width: n, height: 1, channels: 4, data }), want, 1e-6, "rgba");
  const rgb = Uint8Array.from({ length: n * 3 }, (_, i) => data[4 * Math.floor(i / 3) + (i % 3)]);
  assertClose(toGray({ width: 1, height: n, channels: 3, data: rgb }), want, 1e-6, "rgb");
});

Deno.test("toGray passes gray through", () => {
  const data = randomPixels(12, 6);
  deepEqual([...toGray({ width: 4, height: 3, channels: 1, data })], [...data]);
});
