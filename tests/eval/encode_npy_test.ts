import { encodeNpy } from "../../eval/encode_npy.ts";
import { readNpy } from "../../data_prep/read_npy.ts";
import { deepEqual, throws as assertThrows } from "node:assert/strict";

Deno.test("encodeNpy: read back by readNpy with its shape and values; header 64-aligned", () => {
  for (const [rows, cols] of [[1, 1], [3, 7], [1024, 40], [123456, 2]]) {
    const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 1e3);
    const bytes = encodeNpy({ rows, cols, data });
    const headerLen = new DataView(bytes.buffer).getUint16(8, true);
    deepEqual((10 + headerLen) % 64, 0);
    const back = readNpy(bytes, "w.npy");
    deepEqual([back.rows, back.cols], [rows, cols]);
    deepEqual(Array.from(back.data), Array.from(data));
  }
});

Deno.test("encodeNpy: data of another length is a RangeError", () => {
  assertThrows(
    () => encodeNpy({ rows: 2, cols: 2, data: new Float32Array(3) }),
    /3 values for a 2x2 matrix/,
  );
});
