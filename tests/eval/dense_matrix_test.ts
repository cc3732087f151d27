import { deepEqual, throws } from "node:assert/strict";
import { checkMatrix, transposeMatrix } from "../../eval/dense_matrix.ts";

Deno.test("transposeMatrix and checkMatrix", () => {
  const h = { data: new Float32Array([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 };
  const t = transposeMatrix(h);
  deepEqual([t.rows, t.cols, Array.from(t.data)], [3, 2, [1, 4, 2, 5, 3, 6]]);
  throws(() => checkMatrix({ data: new Float32Array(5), rows: 2, cols: 3 }, "H"), /H has 5 values/);
  throws(() => checkMatrix({ data: new Float32Array(0), rows: 0, cols: 3 }, "H"), /integers >= 1/);
});
